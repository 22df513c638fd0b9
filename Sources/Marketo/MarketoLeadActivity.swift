public import Foundation

// MARK: - MarketoLeadActivity

/// One activity as Get Lead Activities returns it (`GET /rest/v1/activities.json`, `result[]`).
public struct MarketoLeadActivity: Sendable, Hashable, Decodable {
    /// One attribute: Marketo names it by its display name (`name`); some answers add the `apiName`.
    public struct Attribute: Sendable, Hashable, Decodable {
        /// The attribute's name as Marketo returns it.
        public var name: String
        /// The API name, when the answer carries it.
        public var apiName: String?
        /// The value.
        public var value: MarketoFieldValue

        /// Creates an attribute.
        public init(name: String, apiName: String? = nil, value: MarketoFieldValue) {
            self.name = name
            self.apiName = apiName
            self.value = value
        }

        private enum CodingKeys: String, CodingKey { case name, apiName, value }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            apiName = try container.decodeIfPresent(String.self, forKey: .apiName)
            value = try container.decodeIfPresent(MarketoFieldValue.self, forKey: .value) ?? .null
        }
    }

    /// The numeric id (being replaced by ``marketoGUID``).
    public var id: Int?
    /// The unique id.
    public var marketoGUID: String?
    /// The lead.
    public var leadId: Int
    /// The activity date as Marketo returns it.
    public var activityDate: String
    /// The activity type id.
    public var activityTypeId: Int
    /// The primary attribute's value.
    public var primaryAttributeValue: String?
    /// The attributes (an empty attribute is left out).
    public var attributes: [Attribute]

    /// Creates an activity.
    public init(
        id: Int?,
        marketoGUID: String?,
        leadId: Int,
        activityDate: String,
        activityTypeId: Int,
        primaryAttributeValue: String?,
        attributes: [Attribute]
    ) {
        self.id = id
        self.marketoGUID = marketoGUID
        self.leadId = leadId
        self.activityDate = activityDate
        self.activityTypeId = activityTypeId
        self.primaryAttributeValue = primaryAttributeValue
        self.attributes = attributes
    }

    private enum CodingKeys: String, CodingKey {
        case id, marketoGUID, leadId, activityDate, activityTypeId, primaryAttributeValue, attributes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int.self, forKey: .id)
        marketoGUID = try container.decodeIfPresent(String.self, forKey: .marketoGUID)
        leadId = try container.decode(Int.self, forKey: .leadId)
        activityDate = try container.decodeIfPresent(String.self, forKey: .activityDate) ?? ""
        activityTypeId = try container.decode(Int.self, forKey: .activityTypeId)
        let primary = try container.decodeIfPresent(MarketoFieldValue.self, forKey: .primaryAttributeValue)
        primaryAttributeValue = primary.map(\.description)
        attributes = try container.decodeIfPresent([Attribute].self, forKey: .attributes) ?? []
    }

    /// The activity date as a date (ISO 8601 with `Z` or an offset such as `+0000`), or nil.
    public var date: Date? { MarketoLeadActivity.parseDate(activityDate) }

    /// Parses Marketo's date-times: `2026-11-24T21:42:13Z`, `2014-09-17T22:31:49+0000`, `…+00:00`.
    public static func parseDate(_ text: String) -> Date? {
        var normalized = text
        // `+0000` to `+00:00`, which ISO8601 parsing takes.
        if let sign = normalized.lastIndex(where: { $0 == "+" || $0 == "-" }),
            normalized.distance(from: sign, to: normalized.endIndex) == 5,
            normalized[normalized.index(after: sign)...].allSatisfy(\.isNumber)
        {
            normalized.insert(":", at: normalized.index(sign, offsetBy: 3))
        }
        if let date = try? Date(normalized, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(normalized, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

// MARK: - MarketoActivityPage

/// One page of Get Lead Activities.
public struct MarketoActivityPage: Sendable {
    /// The activities of the page (possibly fewer than the batch size while ``moreResult`` is true).
    public var activities: [MarketoLeadActivity]
    /// The token for the next page (Marketo always returns one).
    public var nextPageToken: String?
    /// Whether more activities may follow.
    public var moreResult: Bool
    /// The request id.
    public var requestId: String?
}
