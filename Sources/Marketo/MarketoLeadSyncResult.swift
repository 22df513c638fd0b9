/// What Sync Leads did with one lead.
public struct MarketoLeadSyncResult: Sendable, Hashable {
    /// The lead's id (`id`), when Marketo created or updated it.
    public var leadId: Int?
    /// Created, updated, or failed with reasons (1003, 1005, 1006, 1007, …).
    public var outcome: MarketoRecordOutcome

    /// Creates a result.
    public init(leadId: Int?, outcome: MarketoRecordOutcome) {
        self.leadId = leadId
        self.outcome = outcome
    }
}
