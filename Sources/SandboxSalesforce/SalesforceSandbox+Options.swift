public import Logging

// MARK: - SalesforceSandbox.Options

extension SalesforceSandbox {
    /// Where the sandbox listens and how fast its clock runs.
    public struct Options: Sendable {
        /// The address to bind; loopback by default.
        public var host: String
        /// The port; 0 picks a free one (read it with ``SalesforceSandbox/waitUntilRunning()``).
        public var port: Int
        /// Sandbox seconds per real second. Token lifetimes, the rolling 24-hour allocation window,
        /// long-running request thresholds and bulk processing times run on the sandbox clock, so a test can
        /// speed them up (or jump with ``SalesforceSandbox/advanceClock(by:)``).
        public var timeScale: Double
        /// The server's logger; nil for Hummingbird's default.
        public var logger: Logger?

        /// Creates options.
        public init(host: String = "127.0.0.1", port: Int = 0, timeScale: Double = 1, logger: Logger? = nil) {
            self.host = host
            self.port = port
            self.timeScale = timeScale
            self.logger = logger
        }
    }
}
