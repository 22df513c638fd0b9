/// A custom object type from the Custom Object Metadata API
/// (`GET /rest/v1/customobjects/schema/{apiName}/describe.json`, `result[0]`): its approval state.
public struct MarketoCustomObjectType: Sendable, Hashable, Decodable {
    /// The API name.
    public var apiName: String
    /// `draft`, `approved` or `approvedWithDraft`.
    public var state: String?

    /// Creates a type.
    public init(apiName: String, state: String?) {
        self.apiName = apiName
        self.state = state
    }

    /// Whether records can be written (an approved version exists).
    public var isApproved: Bool { state == "approved" || state == "approvedWithDraft" }
}
