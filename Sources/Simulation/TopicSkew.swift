// MARK: - TopicSkew

/// One input topic produced ahead of the other: a lead's engagement seen before the attendee statuses that
/// happened before it, or the reverse. The fold must reach the same state either way (event time).
public struct TopicSkew: Sendable, Hashable, CustomStringConvertible {
    /// An input topic of the simulation.
    public enum Topic: String, Sendable, Hashable, CaseIterable {
        /// `attendee.events`.
        case attendee
        /// `engagement.events`.
        case engagement
    }

    /// The topic produced ahead.
    public var leading: Topic
    /// How far ahead: a record of the other topic is produced only once the leading topic's records up to this
    /// many places after it (in the stream as generated) are; `nil` for the whole leading topic first.
    public var records: Int?

    /// Creates a skew.
    public init(leading: Topic, records: Int?) {
        self.leading = leading
        self.records = records
    }

    /// Parses the command-line form: a count of records, or `all`.
    public init?(leading: Topic, text: String) {
        if text == "all" {
            self.init(leading: leading, records: nil)
        } else if let count = Int(text), count >= 0 {
            self.init(leading: leading, records: count)
        } else {
            return nil
        }
    }

    /// `engagement 2000 records ahead` or `engagement in full first`.
    public var description: String {
        records.map { "\(leading.rawValue) \($0) records ahead" } ?? "\(leading.rawValue) in full first"
    }
}
