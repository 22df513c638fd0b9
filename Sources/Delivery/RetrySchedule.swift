import Basics
public import Foundation

// MARK: - RetrySchedule

/// When a failed command is tried again, and when the writer gives up and dead-letters it.
///
/// Backoff doubles from ``initialBackoff`` up to ``maxBackoff``, with "equal jitter" (a random half of the wait),
/// so that a storm of failures does not come back as a storm. Only transient and authentication failures count
/// as attempts; a rate limit or a spent quota is not the command's fault.
public struct RetrySchedule: Sendable, Hashable {
    /// Deliveries tried in all, the first included.
    public var maxAttempts: Int
    /// The wait before the first retry.
    public var initialBackoff: Duration
    /// The longest wait between two attempts.
    public var maxBackoff: Duration
    /// How long after its first failure a command may still be retried.
    public var maxAge: Duration

    /// Creates a schedule (the defaults are docs/architecture.md's).
    public init(
        maxAttempts: Int = 10,
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(300),
        maxAge: Duration = .seconds(86_400)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxAge = maxAge
    }

    /// The wait after the `attempt`-th failed delivery (1-based), with jitter drawn from `random` in [0, 1).
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let uncapped = initialBackoff.seconds * pow(2, Double(exponent))
        let capped = min(uncapped, maxBackoff.seconds)
        return .milliseconds(Int64((capped / 2 + capped / 2 * random) * 1000))
    }

    /// Whether a command that has failed `attempts` times, first at `firstFailedAt`, may be tried again at `now`.
    public func allowsRetry(attempts: Int, firstFailedAt: Date, now: Date) -> Bool {
        attempts < maxAttempts && now.timeIntervalSince(firstFailedAt) < maxAge.seconds
    }
}
