/// A custom activity type (`GET /rest/v1/activities/external/types.json`).
public struct MarketoCustomActivityType: Sendable, Hashable, Decodable {
    /// The numeric id that Add Custom Activities takes as `activityTypeId`.
    public var id: Int
    /// The API name, such as `userSessionEngagement`.
    public var apiName: String
    /// The display name.
    public var name: String?
    /// `draft`, `approved`, `approved with draft` or `deleted`; only approved types take activities.
    public var status: String?

    /// Creates a type.
    public init(id: Int, apiName: String, name: String?, status: String?) {
        self.id = id
        self.apiName = apiName
        self.name = name
        self.status = status
    }

    /// Whether activities of this type can be added (approved, with or without a draft).
    public var isApproved: Bool { status == "approved" || status == "approved with draft" }
}
