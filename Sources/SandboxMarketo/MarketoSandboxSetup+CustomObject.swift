extension MarketoSandboxSetup {
    /// A custom object type.
    public struct CustomObject: Sendable, Codable, Equatable {
        /// The API name, e.g. `kalturaUserSessionEngagement`.
        public var name: String
        /// The display name.
        public var displayName: String
        /// The dedupe fields (1 to 3); `dedupeBy:"dedupeFields"` matches records on all of them.
        public var dedupeFields: [String]
        /// The fields, including link fields; `marketoGUID`, `createdAt` and `updatedAt` are implied.
        public var fields: [Field]
        /// Link fields to leads.
        public var relationships: [Relationship]
        /// The approval state: `approved` (nil means approved), `draft` (never approved: the data API does not
        /// know it) or `approvedWithDraft`.
        public var state: String?

        /// Creates a custom object type.
        public init(
            name: String,
            displayName: String,
            dedupeFields: [String],
            fields: [Field],
            relationships: [Relationship],
            state: String? = nil
        ) {
            self.name = name
            self.displayName = displayName
            self.dedupeFields = dedupeFields
            self.fields = fields
            self.relationships = relationships
            self.state = state
        }

        /// Whether records can be written and the data API describes it (an approved version exists).
        var isApproved: Bool { state == nil || state == "approved" || state == "approvedWithDraft" }

        /// A link field: the record stores the lead's value of `relatedField` (`id` or `email`).
        public struct Relationship: Sendable, Codable, Equatable {
            /// The link field of the custom object, e.g. `personId`.
            public var field: String
            /// The lead field it points at: `id` or `email`.
            public var relatedField: String
            /// Creates a link.
            public init(field: String, relatedField: String = "id") {
                self.field = field
                self.relatedField = relatedField
            }
        }

        /// `kalturaUserSessionEngagement`: dedupe on `entry_id` and the lead link `personId` (lead id), the entry,
        /// channel and virtual event, and the engagement metrics.
        public static let kalturaUserSessionEngagement = CustomObject(
            name: "kalturaUserSessionEngagement",
            displayName: "Kaltura User Session Engagement",
            dedupeFields: ["entry_id", "personId"],
            fields: [
                Field(name: "entry_id", displayName: "Entry Id", dataType: "string"),
                Field(name: "personId", displayName: "Person Id", dataType: "link"),
                Field(name: "entry_name", dataType: "string"),
                Field(name: "channel_id", dataType: "integer"),
                Field(name: "channel_name", dataType: "string"),
                Field(name: "virtual_event_id", dataType: "string"),
                Field(name: "email", dataType: "email"),
                Field(name: "user_id", dataType: "string"),
            ] + Field.engagementMetrics,
            relationships: [Relationship(field: "personId")]
        )
    }
}
