// MARK: - CallLimits

/// One tenant's share of a CRM subscription's API limits, enforced by its ``CallLimiter`` before the CRM has to.
public struct CallLimits: Sendable, Hashable {
    /// Calls allowed per ``window`` (Marketo: 100 per 20 s, times the tenant's share).
    public var callsPerWindow: Int
    /// The rolling window of ``callsPerWindow``.
    public var window: Duration
    /// Calls allowed in flight at once (Marketo: 10, times the share, at least 1).
    public var concurrentCalls: Int
    /// Calls allowed per day, or nil for no budget of our own (the CRM's quota still answers).
    public var dailyCalls: Int?

    /// Creates limits.
    public init(callsPerWindow: Int, window: Duration, concurrentCalls: Int, dailyCalls: Int? = nil) {
        self.callsPerWindow = max(1, callsPerWindow)
        self.window = window
        self.concurrentCalls = max(1, concurrentCalls)
        self.dailyCalls = dailyCalls
    }

    /// Marketo's subscription limits (100 calls / 20 s, 10 concurrent) scaled by a call share in (0, 1].
    public static func marketo(callShare: Double, dailyCalls: Int? = nil) -> CallLimits {
        CallLimits(
            callsPerWindow: Int((100 * callShare).rounded(.down)),
            window: .seconds(20),
            concurrentCalls: Int((10 * callShare).rounded(.down)),
            dailyCalls: dailyCalls
        )
    }
}
