import Foundation
import Kafka
import Logging
import TestSupport
import Testing
import Topics

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("leadsync dev-cluster, topics apply and kcat interop", .serialized)
struct DevClusterTests {
    static let kcat = URL(fileURLWithPath: "/usr/bin/kcat")

    private var logger: Logger {
        var logger = Logger(label: "integration")
        logger.logLevel = .critical
        return logger
    }

    @Test("dev-cluster serves the topics of topics/ to kcat and to the Swift client")
    func kcatInterop() async throws {
        let cluster = try DevClusterProcess()
        defer { cluster.stop() }
        let bootstrap = cluster.state.bootstrapServers

        let listing = try runTool(Self.kcat, ["-b", bootstrap, "-L", "-J"])
        #expect(listing.status == 0)
        let definitions = try TopicCatalogLoader(directory: URL(fileURLWithPath: "topics")).load()
        for definition in definitions {
            #expect(listing.output.contains("\"topic\":\"\(definition.name)\""))
        }

        // kcat produces, the Swift consumer reads, keys and headers intact.
        let input = (0..<50).map { "lead-\($0)|value-\($0)" }.joined(separator: "\n") + "\n"
        let produced = try runTool(
            Self.kcat,
            ["-b", bootstrap, "-P", "-t", "attendee.events", "-K", "|", "-H", "source=kcat"],
            input: Data(input.utf8)
        )
        #expect(produced.status == 0, "\(produced.errorOutput)")
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: KafkaClientConfiguration(bootstrapServers: [bootstrap]),
                groupId: "interop-\(UUID().uuidString.prefix(6))"
            ),
            logger: logger
        )
        try consumer.subscribe(["attendee.events"])
        var received: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while received.count < 50, ContinuousClock.now < deadline {
            received += try await consumer.poll(timeout: .milliseconds(100)).partitions.flatMap(\.records)
        }
        try await consumer.close()
        #expect(received.count == 50)
        for record in received {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            #expect(
                String(decoding: record.value, as: UTF8.self) == key.replacingOccurrences(of: "lead-", with: "value-")
            )
            #expect(record.headers.string(for: "source") == "kcat")
        }

        // The Swift producer writes, kcat reads.
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: [bootstrap])),
            logger: logger
        )
        let reports = try await producer.send(
            (0..<20).map {
                OutgoingRecord(
                    topic: "marketo.commands",
                    key: Array("k\($0)".utf8),
                    value: Array("from-swift-\($0)".utf8)
                )
            }
        )
        #expect(reports.allSatisfy { $0.isDelivered })
        let read = try runTool(
            Self.kcat,
            ["-b", bootstrap, "-C", "-t", "marketo.commands", "-o", "beginning", "-e", "-q", "-f", "%k=%s\n"]
        )
        #expect(read.status == 0)
        let lines = Set(read.output.split(separator: "\n").map(String.init))
        #expect(lines == Set((0..<20).map { "k\($0)=from-swift-\($0)" }))
    }

    @Test("topics apply creates what is missing, is a no-op the second time, and reports drift")
    func topicsApply() async throws {
        let cluster = try DevClusterProcess(arguments: ["--no-topics"])
        defer { cluster.stop() }
        // An operator created one topic by hand, wrongly.
        var wrong = try TopicCatalogLoader.load(file: URL(fileURLWithPath: "topics/marketo.commands.yaml"))
        wrong.partitions = 3
        wrong.configs["cleanup.policy"] = "compact"
        try await cluster.control.create([wrong])

        let first = try LeadSyncBinary.run(["topics", "apply", "--dev-cluster", cluster.stateFilePath])
        #expect(first.status == 1)
        #expect(first.output.contains("summary: 12 created, 0 unchanged, 2 drift"))
        #expect(first.output.contains("drift      marketo.commands: partitions is 3, expected 12"))
        #expect(first.output.contains("drift      marketo.commands: cleanup.policy is compact, expected delete"))

        let second = try LeadSyncBinary.run(["topics", "apply", "--dev-cluster", cluster.stateFilePath])
        #expect(second.output.contains("summary: 0 created, 12 unchanged, 2 drift"))
        #expect(second.status == 1)

        // The same cluster through the plain Kafka protocol: partition counts are still checked.
        let viaKafka = try LeadSyncBinary.run([
            "topics", "apply", "--bootstrap-servers", cluster.state.bootstrapServers, "--dry-run",
        ])
        #expect(viaKafka.output.contains("summary: 0 to create, 12 unchanged, 1 drift"))
        #expect(viaKafka.status == 1)
    }

    @Test("topics apply on a clean cluster: everything created, then nothing to do")
    func topicsApplyIdempotent() async throws {
        let cluster = try DevClusterProcess(arguments: ["--no-topics"])
        defer { cluster.stop() }
        let first = try LeadSyncBinary.run(["topics", "apply", "--dev-cluster", cluster.state.controlURL])
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.contains("summary: 13 created, 0 unchanged, 0 drift"))
        let second = try LeadSyncBinary.run(["topics", "apply", "--dev-cluster", cluster.state.controlURL])
        #expect(second.status == 0)
        #expect(second.output.contains("summary: 0 created, 13 unchanged, 0 drift"))
        let topics = try await cluster.control.existingTopics(named: ["leadsync.state.changelog"])
        #expect(topics.first?.configs?["cleanup.policy"] == "compact")
        #expect(topics.first?.partitions == 12)
    }

    @Test("the control endpoint lists its routes at GET /, and its broker and request faults work as documented")
    func controlEndpointFaults() async throws {
        let cluster = try DevClusterProcess(arguments: ["--brokers", "2", "--no-topics"])
        defer { cluster.stop() }
        /// A control request with a query (the control client takes paths only); returns the status.
        func control(_ method: String, _ pathAndQuery: String) async throws -> Int {
            var request = URLRequest(url: try #require(URL(string: cluster.state.controlURL + pathAndQuery)))
            request.httpMethod = method
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        }
        let index = try JSONSerialization.jsonObject(with: try await cluster.control.request("GET", "", body: nil))
        let routes = try #require(index as? [String: String])
        for route in [
            "GET /topics", "POST /topics", "POST /faults/brokers/{id}/down", "POST /faults/brokers/{id}/up",
            "POST /faults/brokers/{id}/rtt?ms=N", "POST /faults/requests?api=N&errors=E1,E2",
        ] {
            #expect(routes[route] != nil, "GET / lists \(route)")
        }

        // A produce fails while the request faults last (Produce is API 0; 6 is NOT_LEADER_OR_FOLLOWER, retriable,
        // so the idempotent producer retries through them), and a broker goes down and comes back.
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.state.bootstrapServers], clientId: "faults")
        let definition = TopicDefinition(name: "faults.test", partitions: 1, replicationFactor: 1, configs: [:])
        try await cluster.control.create([definition])
        #expect(try await control("POST", "/faults/requests?api=0&errors=6,6") == 200)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let report = try await producer.send(
            OutgoingRecord(topic: "faults.test", key: Array("k".utf8), value: Array("v".utf8))
        )
        #expect(report.isDelivered, "retriable request errors are retried through")
        #expect(try await control("POST", "/faults/brokers/2/down") == 200)
        #expect(try await control("POST", "/faults/brokers/2/up") == 200)
        #expect(try await control("POST", "/faults/brokers/1/rtt?ms=0") == 200)
        #expect(try await control("POST", "/faults/brokers/1/sideways") == 404, "an unknown broker action is refused")
        let again = try await producer.send(
            OutgoingRecord(topic: "faults.test", key: Array("k".utf8), value: Array("w".utf8))
        )
        #expect(again.isDelivered)
    }

    @Test("bad input: one clear error line naming the problem, and a non-zero exit")
    func badInput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("topics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: broken\npartitions: [1, 2\n".write(
            to: directory.appendingPathComponent("broken.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let unparseable = try LeadSyncBinary.run([
            "topics", "apply", "--topics-dir", directory.path, "--bootstrap-servers", "127.0.0.1:1",
        ])
        #expect(unparseable.status == 2)
        #expect(unparseable.errorOutput.hasPrefix("leadsync: error: \(directory.path)/broken.yaml: "))
        #expect(unparseable.errorOutput.split(separator: "\n").count == 1)

        try "name: broken\npartitions: 0\nreplicationFactor: 1\nconfigs: {}\ndescription: x\n".write(
            to: directory.appendingPathComponent("broken.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let invalid = try LeadSyncBinary.run([
            "topics", "apply", "--topics-dir", directory.path, "--bootstrap-servers", "127.0.0.1:1",
        ])
        #expect(invalid.errorOutput.contains("broken.yaml: partitions must be at least 1, not 0"))

        let property = try LeadSyncBinary.run([
            "topics", "apply", "--bootstrap-servers", "127.0.0.1:1", "--kafka-property",
            "security.protocol=carrier-pigeon",
        ])
        #expect(property.status == 2)
        #expect(property.errorOutput.contains("'security.protocol'"))

        let unreachable = try LeadSyncBinary.run(
            ["topics", "apply", "--bootstrap-servers", "127.0.0.1:1"],
            timeout: 30
        )
        #expect(unreachable.status == 2)
        #expect(unreachable.errorOutput.contains("127.0.0.1:1"))
        #expect(unreachable.errorOutput.split(separator: "\n").count == 1)
    }
}
