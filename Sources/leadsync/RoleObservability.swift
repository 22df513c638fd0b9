import Config
import Foundation
import Logging
import Observability

/// What every long-running role shares: JSON logs with the configuration's level and email policy, and the
/// `/metrics`, `/healthz`, `/readyz` server on `observability.metricsAddress`.
enum RoleObservability {
    /// Bootstraps swift-metrics into the Prometheus registry (before any role creates its metrics, or they would
    /// go nowhere) and returns the role's JSON logger (`LEADSYNC_LOG_LEVEL` overrides the configured level;
    /// `LEADSYNC_LOG_FORMAT=text` gives plain lines for a terminal).
    static func bootstrap(_ label: String, config: LeadSyncConfig) -> Logger {
        PrometheusExporter.bootstrap()
        let environment = ProcessInfo.processInfo.environment
        let level =
            environment["LEADSYNC_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            ?? Logger.Level(rawValue: config.observability.logLevel.rawValue) ?? .info
        let logsEmails = config.observability.logEmails
        if environment["LEADSYNC_LOG_FORMAT"] == "text" {
            var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = level
            return logger
        }
        return Logger(label: label) { JSONLogHandler(label: $0, level: level, logsEmails: logsEmails) }
    }

    /// The probe and metrics server of a role; `--metrics-address` overrides the configuration.
    static func server(
        config: LeadSyncConfig,
        override: String?,
        logger: Logger,
        health: @escaping @Sendable () -> ObservabilityServer.Health
    ) throws -> ObservabilityServer {
        PrometheusExporter.bootstrap()
        var address = config.observability.metricsAddress
        if let override {
            guard let parsed = ListenAddress(parsing: override) else {
                throw CommandFailure(message: "--metrics-address expects host:port, got '\(override)'")
            }
            address = parsed
        }
        return ObservabilityServer(host: address.host, port: address.port, logger: logger, health: health)
    }
}
