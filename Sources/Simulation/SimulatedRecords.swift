// MARK: - SimulatedRecords

/// The records of a ``SimulationPlan``, generated lazily: iterating a million records never holds more than the
/// records of ``SimulationPlan/interleavedLeads`` leads at once.
///
/// Iterating twice gives the same records. Records of different leads are interleaved (a random choice among the
/// leads in progress); records of one lead keep the order the plan decided for them.
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
