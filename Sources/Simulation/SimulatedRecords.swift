// MARK: - SimulatedRecords

/// The records of a ``SimulationPlan``, generated lazily: iterating a million records never holds more than the
/// records of ``SimulationPlan/interleavedLeads`` leads at once.
///
/// Iterating twice gives the same records. Records of different leads are interleaved (a random choice among the
/// leads in progress); records of one lead keep the order the plan decided for them, so a consumer of the
/// partition of the lead's canonical key sees them in that order. Records produced without a key or with a
/// non-canonical one (see ``RecordIntent/keyForm``) land on other partitions: only the fold's re-keying brings
/// them back to the lead.
public struct SimulatedRecords: Sequence, Sendable {
    /// The plan the records come from.
    public var plan: SimulationPlan { prepared.plan }

    private let prepared: PreparedPlan

    /// The records of `plan` (empty when the plan does not validate).
    public init(plan: SimulationPlan) {
        prepared = PreparedPlan(plan: plan)
    }

    /// A fresh iterator from the first record.
    public func makeIterator() -> SimulatedRecordIterator {
        SimulatedRecordIterator(prepared: prepared)
    }
}
