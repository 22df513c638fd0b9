// MARK: - Timestamp

/// An instant in UTC, as whole milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
///
/// The domain never reads a clock: callers pass `now` in as a `Timestamp`, which keeps every fold reproducible.
/// Parse event times with ``init(rfc3339:)`` and format them with ``rfc3339``.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch; negative before 1970.
    public var millisecondsSinceEpoch: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The Unix epoch itself.
    public static let epoch = Timestamp(millisecondsSinceEpoch: 0)

    /// Orders timestamps by time.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// This instant moved by `milliseconds` (saturating, so a huge window cannot trap).
    public func adding(milliseconds: Int64) -> Timestamp {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(milliseconds)
        if overflow {
            return Timestamp(millisecondsSinceEpoch: milliseconds > 0 ? .max : .min)
        }
        return Timestamp(millisecondsSinceEpoch: sum)
    }

    /// The RFC 3339 form, for logs and messages.
    public var description: String { rfc3339 }
}
