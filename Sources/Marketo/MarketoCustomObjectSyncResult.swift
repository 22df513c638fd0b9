/// What Sync Custom Objects did with one record.
public struct MarketoCustomObjectSyncResult: Sendable, Hashable {
    /// The record's unique id.
    public var marketoGUID: String?
    /// Created, updated, or failed (1003 missing dedupe field, 1004 linked lead not found, 1006, 1036, …).
    public var outcome: MarketoRecordOutcome

    /// Creates a result.
    public init(marketoGUID: String?, outcome: MarketoRecordOutcome) {
        self.marketoGUID = marketoGUID
        self.outcome = outcome
    }
}
