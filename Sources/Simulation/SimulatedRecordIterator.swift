// MARK: - SimulatedRecordIterator

/// Produces the records of a plan one at a time, generating each lead's records when the lead starts.
public struct SimulatedRecordIterator: IteratorProtocol {
    /// A lead in progress: its records and how many were handed out.
    private struct LeadInProgress {
        var records: [SimulatedRecord]
        var next = 0
    }

    private let prepared: PreparedPlan
    private var nextLead = 0
    private var inProgress: [LeadInProgress] = []
    private var random: SplitMix64

    init(prepared: PreparedPlan) {
        self.prepared = prepared
        // The interleaving has its own stream, apart from every lead's (leads use streams 0..<leadCount).
        random = SplitMix64(seed: prepared.plan.seed, stream: .max)
        guard prepared.isValid else {
            nextLead = Int.max
            return
        }
        inProgress.reserveCapacity(min(prepared.plan.interleavedLeads, prepared.plan.leadCount))
        while inProgress.count < prepared.plan.interleavedLeads, let lead = startNextLead() {
            inProgress.append(lead)
        }
    }

    /// The next record, or `nil` after the last lead's last record.
    public mutating func next() -> SimulatedRecord? {
        guard !inProgress.isEmpty else { return nil }
        let slot = random.below(inProgress.count)
        let record = inProgress[slot].records[inProgress[slot].next]
        inProgress[slot].next += 1
        if inProgress[slot].next == inProgress[slot].records.count {
            if let lead = startNextLead() {
                inProgress[slot] = lead
            } else {
                inProgress.swapAt(slot, inProgress.count - 1)
                inProgress.removeLast()
            }
        }
        return record
    }

    private mutating func startNextLead() -> LeadInProgress? {
        guard prepared.isValid, nextLead < prepared.plan.leadCount else { return nil }
        var script = LeadScript(prepared: prepared, leadIndex: nextLead)
        nextLead += 1
        return LeadInProgress(records: script.records())
    }
}
