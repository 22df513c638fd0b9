public import Foundation
import Hummingbird
public import Logging
import Metrics
import NIOCore
public import Prometheus
public import ServiceLifecycle
import Synchronization

// MARK: - ObservabilityServer

/// The HTTP endpoints every role serves: `/metrics` (Prometheus text format), `/healthz` (the process is alive
/// and its loop has not failed) and `/readyz` (the role is doing its job: a fold has restored its partitions, a
/// writer has joined its group).
public final class ObservabilityServer: Service, Sendable {
    /// What `/readyz` and `/healthz` report.
    public struct Health: Sendable {
        /// Whether the role is ready (503 on `/readyz` when not).
        public var isReady: Bool
        /// Whether the role is alive (503 on `/healthz` when not: Kubernetes restarts the pod).
        public var isAlive: Bool
        /// One line per role saying what it is doing.
        public var details: [String]

        /// Creates a report.
        public init(isReady: Bool, isAlive: Bool = true, details: [String] = []) {
            self.isReady = isReady
            self.isAlive = isAlive
            self.details = details
        }
    }

    private let host: String
    private let requestedPort: Int
    private let health: @Sendable () -> Health
    private let logger: Logger
    private let boundPort = Mutex<Int?>(nil)

    /// - Parameters:
    ///   - host: The address to listen on (`0.0.0.0` in a pod, `127.0.0.1` for development).
    ///   - port: The port; 0 picks a free one (see ``port``).
    ///   - health: Called on every probe.
    public init(host: String, port: Int, logger: Logger, health: @escaping @Sendable () -> Health) {
        self.host = host
        self.requestedPort = port
        self.health = health
        self.logger = logger
    }

    /// The port the server listens on, once it does.
    public var boundPortNumber: Int? { boundPort.withLock { $0 } }

    public func run() async throws {
        let router = Router()
        let health = self.health
        router.get("metrics") { _, _ -> Response in
            var buffer = ByteBuffer()
            buffer.writeBytes(PrometheusExporter.registry.emitToBuffer())
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: buffer)
            )
        }
        router.get("healthz") { _, _ -> Response in
            let report = health()
            return Self.text(report.isAlive ? .ok : .serviceUnavailable, (report.isAlive ? "ok" : "failing"), report)
        }
        router.get("readyz") { _, _ -> Response in
            let report = health()
            return Self.text(
                report.isReady ? .ok : .serviceUnavailable,
                (report.isReady ? "ready" : "not ready"),
                report
            )
        }
        // Hummingbird reports a cancelled server at error level; the role's own shutdown is no error.
        var serverLogger = logger
        serverLogger.logLevel = .critical
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: requestedPort),
                serverName: "leadsync"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port
                self.boundPort.withLock { $0 = port }
                // With port 0 this is where a supervisor (or a test) learns the port.
                self.logger.info(
                    "serving /metrics, /healthz and /readyz",
                    metadata: ["address": "\(self.host):\(port.map(String.init) ?? "?")"]
                )
            },
            logger: serverLogger
        )
        // As a service of the role's group: the group, not Hummingbird's own signal handling, decides when it stops
        // (with runService() it would catch SIGTERM itself and end before the role finished draining).
        try await application.run()
    }

    private static func text(_ status: HTTPResponse.Status, _ headline: String, _ report: Health) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(([headline] + report.details).joined(separator: "\n") + "\n")
        return Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer)
        )
    }
}

// MARK: - PrometheusExporter

/// The process's Prometheus registry, bootstrapped into swift-metrics once.
public enum PrometheusExporter {
    /// The registry `/metrics` serves.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics record into ``registry`` (idempotent: the first call wins, later calls do nothing).
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
            ]
            MetricsSystem.bootstrap(factory)
        }
    }

    /// The current metrics in the Prometheus text format.
    public static func render() -> String { registry.emitToString() }
}
