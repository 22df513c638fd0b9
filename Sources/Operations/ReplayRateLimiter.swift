import Basics

/// A token bucket of records per second: starts full, holds at most ``burst`` tokens (a tenth of a second's worth,
/// at least one), refills continuously.
struct ReplayRateLimiter {
    /// Records per second.
    let rate: Double
    /// The most records sent without a wait.
    let burst: Double
    private var tokens: Double
    private var refilledAt: ContinuousClock.Instant

    init(recordsPerSecond rate: Double, now: ContinuousClock.Instant = .now) {
        self.rate = rate
        self.burst = max(1, (rate / 10).rounded(.down))
        self.tokens = burst
        self.refilledAt = now
    }

    /// Waits until at least one token is there, then takes as many as there are, up to `wanted`.
    /// - Returns: how many records may be sent now (at least 1 unless the task was cancelled, then 0).
    mutating func take(upTo wanted: Int) async -> Int {
        while true {
            refill(now: .now)
            if tokens >= 1 {
                let taken = min(wanted, Int(tokens.rounded(.down)))
                tokens -= Double(taken)
                return taken
            }
            let wait = (1 - tokens) / rate
            do {
                try await Task.sleep(for: .nanoseconds(Int64((wait * 1e9).rounded(.up))))
            } catch {
                return 0
            }
        }
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        let elapsed = now - refilledAt
        let seconds = elapsed.seconds
        tokens = min(burst, tokens + seconds * rate)
        refilledAt = now
    }
}
