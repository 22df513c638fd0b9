// MARK: - Duration + Units

/// A duration in the units the libraries around it count in: seconds as a floating-point number (Foundation's
/// `TimeInterval`, rates and displays), whole milliseconds (librdkafka's settings and timeouts, libcurl's options,
/// log metadata) and whole nanoseconds (swift-metrics' timers). The one set of these conversions in the code base.
extension Duration {
    /// The duration in seconds, fractions included (the same number as Foundation's `TimeInterval` of it).
    @inlinable
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded toward zero and saturating at `Int.min` and `Int.max`.
    @inlinable
    public var milliseconds: Int {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        let (total, carry) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow || carry { return seconds < 0 ? Int.min : Int.max }
        return Int(total)
    }

    /// Whole nanoseconds, rounded toward zero (swift-metrics' `Timer.recordNanoseconds`).
    @inlinable
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
