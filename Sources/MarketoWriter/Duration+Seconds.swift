import Foundation

extension Duration {
    /// The duration in seconds, as Foundation's time intervals count.
    var secondsValue: TimeInterval {
        TimeInterval(components.seconds) + TimeInterval(components.attoseconds) / 1e18
    }
}
