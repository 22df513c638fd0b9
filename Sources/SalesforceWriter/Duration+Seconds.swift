import Foundation

// MARK: - Duration + Seconds

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var secondsValue: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
