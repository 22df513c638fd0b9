/// What Sync Program Member Status did with one lead.
public struct MarketoProgramMemberStatusResult: Sendable, Hashable {
    /// The lead, from the input (Marketo leaves `leadId` out of skipped items).
    public var leadId: Int
    /// Created (added to the program), updated, ``MarketoRecordOutcome/skipped(_:)`` with 1037 (already at
    /// or past that step: a success), or failed (1004 lead not found, 1025 status not found, …).
    public var outcome: MarketoRecordOutcome

    /// Creates a result.
    public init(leadId: Int, outcome: MarketoRecordOutcome) {
        self.leadId = leadId
        self.outcome = outcome
    }
}
