import Foundation
public import Hummingbird
public import Kafka
public import Logging
import NIOCore
import Topics

/// The development cluster's control endpoint, on loopback:
///
/// - `GET /`: these routes, for a person with curl;
/// - `GET /topics`: every topic with its partition count and configs;
/// - `POST /topics`: creates topics from a JSON array of topic definitions (existing ones are left alone);
/// - `POST /faults/brokers/{id}/down` and `/up`: takes a broker down or brings it back;
/// - `POST /faults/brokers/{id}/rtt?ms=N`: delays a broker's responses;
/// - `POST /faults/requests?api=N&errors=E1,E2`: fails the next requests of a protocol API with these codes;
/// - `GET /healthz`.
public enum DevClusterServer {
    /// Builds the HTTP application; `onRunning` receives the bound port.
    public static func makeApplication(
        cluster: DevCluster,
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/") { _, _ -> Response in try json(routes) }
        router.get("healthz") { _, _ in "ok" }
        router.get("topics") { _, _ -> Response in
            try json(try await cluster.topics())
        }
        router.post("topics") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let definitions: [TopicDefinition]
            do {
                definitions = try JSONDecoder().decode([TopicDefinition].self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "expected a JSON array of topic definitions: \(error)")
            }
            return try json(try await cluster.create(definitions))
        }
        router.post("faults/brokers/:id/:action") { request, context -> String in
            let id = try context.parameters.require("id", as: Int32.self)
            switch try context.parameters.require("action") {
            case "down": try cluster.mock.setBrokerDown(id)
            case "up": try cluster.mock.setBrokerUp(id)
            case "rtt":
                let milliseconds = try request.uri.queryParameters.require("ms", as: Int.self)
                try cluster.mock.setRoundTripTime(broker: id, .milliseconds(milliseconds))
            default: throw HTTPError(.notFound, message: "unknown broker action")
            }
            return "ok"
        }
        router.post("faults/requests") { request, _ -> String in
            let api = try request.uri.queryParameters.require("api", as: Int16.self)
            let errors = (request.uri.queryParameters["errors"].map(String.init) ?? "")
                .split(separator: ",")
                .compactMap { Int32($0) }
            cluster.mock.pushRequestErrors(KafkaAPIKey(rawValue: api), errors.map { KafkaError.Code(rawValue: $0) })
            return "ok"
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "leadsync-dev-cluster"
            ),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// What `GET /` answers: every route with what it does (docs/dev-cluster.md explains them).
    static let routes: [String: String] = [
        "GET /": "these routes",
        "GET /healthz": "ok while the cluster runs",
        "GET /topics": "every topic with its partition count and configs",
        "POST /topics": "create topics from a JSON array of topic definitions (existing ones are left alone)",
        "POST /faults/brokers/{id}/down": "take broker {id} down: its connections fail until it is brought up",
        "POST /faults/brokers/{id}/up": "bring broker {id} back",
        "POST /faults/brokers/{id}/rtt?ms=N": "delay every response of broker {id} by N ms (0 clears it)",
        "POST /faults/requests?api=N&errors=E1,E2": "fail the next requests of Kafka protocol API N, one per "
            + "error code, in order (e.g. api=0 Produce, 1 Fetch, 8 OffsetCommit; errors are Kafka error codes)",
    ]

    private static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
