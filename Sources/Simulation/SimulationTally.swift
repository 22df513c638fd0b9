// MARK: - SimulationTally

/// Counts of simulated records by topic and by intent, for summaries and test expectations.
public struct SimulationTally: Sendable, Hashable {
    /// All records.
    public private(set) var records = 0
    /// Bytes of all record values.
    public private(set) var valueBytes = 0
    /// Records per topic.
    public private(set) var recordsByTopic: [String: Int] = [:]
    /// Valid records (first deliveries).
    public private(set) var valid = 0
    /// Valid records produced after a later one of the same lead and topic.
    public private(set) var deliveredLate = 0
    /// Repeats of earlier records.
    public private(set) var duplicates = 0
    /// Poison records by kind.
    public private(set) var poisonByKind: [PoisonKind: Int] = [:]
    /// Records without a key.
    public private(set) var absentKeys = 0
    /// Records with a key that is not the canonical lead key (absent keys not included).
    public private(set) var nonCanonicalKeys = 0

    /// An empty tally.
    public init() {}

    /// All poison records.
    public var poison: Int { poisonByKind.values.reduce(0, +) }

    /// Counts one record.
    public mutating func add(_ record: SimulatedRecord) {
        records += 1
        valueBytes += record.value.count
        recordsByTopic[record.topic, default: 0] += 1
        switch record.intent.kind {
        case .valid:
            valid += 1
            if record.intent.isDeliveredLate { deliveredLate += 1 }
        case .duplicate:
            duplicates += 1
        case .poison(let kind):
            poisonByKind[kind, default: 0] += 1
        }
        switch record.intent.keyForm {
        case .canonical: break
        case .absent: absentKeys += 1
        case .nonCanonical: nonCanonicalKeys += 1
        }
    }
}
