// MARK: - ObservabilitySettings

/// Metrics, health endpoints and logs.
public struct ObservabilitySettings: Sendable, Hashable {
    /// Where `/metrics`, `/healthz` and `/readyz` are served (default `127.0.0.1:9464`).
    public var metricsAddress: ListenAddress
    /// The log level (default `info`).
    public var logLevel: LogLevel
    /// Whether logs may show email addresses in clear (default `false`: redacted).
    public var logEmails: Bool

    /// Creates the settings; every default is the documented one.
    public init(
        metricsAddress: ListenAddress = .defaultMetrics,
        logLevel: LogLevel = .info,
        logEmails: Bool = false
    ) {
        self.metricsAddress = metricsAddress
        self.logLevel = logLevel
        self.logEmails = logEmails
    }
}
