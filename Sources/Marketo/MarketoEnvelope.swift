/// The envelope of every REST and bulk JSON response (Marketo's REST API documentation). Every member may be missing:
/// the doc examples leave out `errors` on success and `result` on failure.
struct MarketoEnvelope<Item: Decodable>: Decodable {
    var requestId: String?
    var success: Bool?
    var result: [Item]?
    var errors: [MarketoWireReason]?
    var warnings: [MarketoWireWarning]?
    var moreResult: Bool?
    var nextPageToken: String?
}

/// The envelope read only for its call-level members, whatever `result` holds.
struct MarketoBareEnvelope: Decodable {
    var requestId: String?
    var success: Bool?
    var errors: [MarketoWireReason]?
}
