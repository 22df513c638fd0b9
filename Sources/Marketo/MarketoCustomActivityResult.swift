/// What Add Custom Activities did with one activity.
public struct MarketoCustomActivityResult: Sendable, Hashable {
    /// The activity id, when Marketo returns one (Activity-Service instances may not).
    public var activityId: Int?
    /// The activity's unique id.
    public var marketoGUID: String?
    /// ``MarketoRecordOutcome/added`` or failed (1004 lead not found, 1006 unknown attribute, 1049, …).
    public var outcome: MarketoRecordOutcome

    /// Creates a result.
    public init(activityId: Int?, marketoGUID: String?, outcome: MarketoRecordOutcome) {
        self.activityId = activityId
        self.marketoGUID = marketoGUID
        self.outcome = outcome
    }
}
