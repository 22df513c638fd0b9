/// A successful write call: Marketo's per-record results in input order, and the call's `requestId` and
/// warnings.
public struct MarketoCallResult<Record: Sendable>: Sendable {
    /// Marketo's `requestId` (quote it to Adobe support).
    public var requestId: String
    /// One result per input record, in input order.
    public var records: [Record]
    /// The call's `warnings`, if any.
    public var warnings: [String]

    /// Creates a result.
    public init(requestId: String, records: [Record], warnings: [String]) {
        self.requestId = requestId
        self.records = records
        self.warnings = warnings
    }
}
