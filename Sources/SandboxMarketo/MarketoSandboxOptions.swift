public import Foundation
public import Logging

/// How a ``MarketoSandbox`` listens and how its time runs.
public struct MarketoSandboxOptions: Sendable {
    /// The address to bind; loopback by default.
    public var host: String
    /// The port; 0 picks a free one (learn it from ``MarketoSandbox/baseURL()``).
    public var port: Int
    /// Multiplies every sandbox duration: the rate window, token lifetime, the day of the daily quotas and the
    /// bulk job durations. 0.01 makes the 20 s window 0.2 s and a day 864 s. `expires_in` reports the scaled
    /// (wall-clock) seconds left, so a client that refreshes ahead of expiry keeps working.
    public var timeScale: Double
    /// The clock; inject one to move time by hand in tests.
    public var clock: @Sendable () -> Date
    /// The default seed of fault rules that do not bring their own.
    public var faultSeed: UInt64
    /// The logger of the HTTP server and the sandbox.
    public var logger: Logger
    /// How many calls the call log keeps (the oldest go first); counters keep counting regardless.
    public var callLogLimit: Int

    /// Creates options.
    /// - Parameters:
    ///   - host: The bind address.
    ///   - port: The port, 0 for an ephemeral one.
    ///   - timeScale: The factor applied to every sandbox duration (must be > 0).
    ///   - clock: The time source.
    ///   - faultSeed: The default fault seed.
    ///   - logger: The logger.
    ///   - callLogLimit: How many calls the call log keeps.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        timeScale: Double = 1,
        clock: @escaping @Sendable () -> Date = { Date() },
        faultSeed: UInt64 = 0x5EED,
        logger: Logger = Logger(label: "leadsync.sandbox.marketo"),
        callLogLimit: Int = 100_000
    ) {
        self.host = host
        self.port = port
        self.timeScale = timeScale > 0 ? timeScale : 1
        self.clock = clock
        self.faultSeed = faultSeed
        self.logger = logger
        self.callLogLimit = max(1, callLogLimit)
    }
}
