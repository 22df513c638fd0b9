/// A custom activity type with its attributes
/// (`GET /rest/v1/activities/external/type/{apiName}/describe.json`, `result[0]`).
public struct MarketoCustomActivityTypeDescription: Sendable, Hashable, Decodable {
    /// One attribute of the type.
    public struct Attribute: Sendable, Hashable, Decodable {
        /// The API name that Add Custom Activities takes, such as `entry_id`.
        public var apiName: String
        /// The display name.
        public var name: String?
        /// The Marketo data type (`string`, `integer`, `float`, …).
        public var dataType: String?

        /// Creates an attribute.
        public init(apiName: String, name: String?, dataType: String?) {
            self.apiName = apiName
            self.name = name
            self.dataType = dataType
        }
    }

    /// The numeric id that Add Custom Activities takes as `activityTypeId`.
    public var id: Int
    /// The API name, such as `userSessionEngagement`.
    public var apiName: String
    /// `draft`, `approved`, `approved with draft` or `deleted`.
    public var status: String?
    /// The primary attribute (for `userSessionEngagement`: `entry_id`).
    public var primaryAttribute: Attribute?
    /// The secondary attributes.
    public var attributes: [Attribute]

    /// Creates a description.
    public init(id: Int, apiName: String, status: String?, primaryAttribute: Attribute?, attributes: [Attribute]) {
        self.id = id
        self.apiName = apiName
        self.status = status
        self.primaryAttribute = primaryAttribute
        self.attributes = attributes
    }

    private enum CodingKeys: String, CodingKey {
        case id, apiName, status, primaryAttribute, attributes
    }

    /// Decodes a description; `attributes` may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        apiName = try container.decode(String.self, forKey: .apiName)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        primaryAttribute = try container.decodeIfPresent(Attribute.self, forKey: .primaryAttribute)
        attributes = try container.decodeIfPresent([Attribute].self, forKey: .attributes) ?? []
    }

    /// Whether activities of this type can be added (approved, with or without a draft).
    public var isApproved: Bool { status == "approved" || status == "approved with draft" }
}
