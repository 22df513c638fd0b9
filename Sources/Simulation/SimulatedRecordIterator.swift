import Basics

// MARK: - SimulatedRecordIterator

/// Produces the records of a plan one at a time, in the plan's ``SimulationPlan/topicSkew``: as generated, or
/// with one input topic's records ahead of the other's.
public struct SimulatedRecordIterator: IteratorProtocol {
    private var interleaved: InterleavedRecordIterator?
    private var leading: TopicRecords?
    private var lagging: TopicRecords?
    private var nextLeading: (position: Int, record: SimulatedRecord)?
    private var nextLagging: (position: Int, record: SimulatedRecord)?
    private let recordsAhead: Int?

    init(prepared: PreparedPlan) {
        let plan = prepared.plan
        guard let skew = plan.topicSkew else {
            interleaved = InterleavedRecordIterator(prepared: prepared)
            recordsAhead = nil
            return
        }
        let (first, second) =
            skew.leading == .engagement
            ? (plan.engagementTopic, plan.attendeeTopic) : (plan.attendeeTopic, plan.engagementTopic)
        leading = TopicRecords(base: InterleavedRecordIterator(prepared: prepared), topic: first)
        lagging = TopicRecords(base: InterleavedRecordIterator(prepared: prepared), topic: second)
        recordsAhead = skew.records
    }

    /// The next record, or `nil` after the last.
    public mutating func next() -> SimulatedRecord? {
        if interleaved != nil { return interleaved?.next() }
        if nextLeading == nil { nextLeading = leading?.next() }
        if nextLagging == nil { nextLagging = lagging?.next() }
        switch (nextLeading, nextLagging) {
        case (nil, nil):
            return nil
        case (let lead?, nil):
            nextLeading = nil
            return lead.record
        case (nil, let lag?):
            nextLagging = nil
            return lag.record
        case (let lead?, let lag?):
            // A lagging record waits until the leading topic is `recordsAhead` records past its place.
            if recordsAhead.map({ lead.position <= lag.position + $0 }) ?? true {
                nextLeading = nil
                return lead.record
            }
            nextLagging = nil
            return lag.record
        }
    }

    /// One topic's records of the interleaved stream, with their places in it.
    private struct TopicRecords {
        var base: InterleavedRecordIterator
        let topic: String
        var position = -1

        mutating func next() -> (position: Int, record: SimulatedRecord)? {
            while let record = base.next() {
                position += 1
                if record.topic == topic { return (position, record) }
            }
            return nil
        }
    }
}

// MARK: - InterleavedRecordIterator

/// Produces the records of a plan one at a time as generated, generating each lead's records when it starts.
struct InterleavedRecordIterator: IteratorProtocol {
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
    mutating func next() -> SimulatedRecord? {
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
