extension MarketoSandboxSetup {
    /// A custom activity type.
    public struct ActivityType: Sendable, Codable, Equatable {
        /// The numeric id sent as `activityTypeId`.
        public var id: Int
        /// The API name, e.g. `userSessionEngagement`.
        public var apiName: String
        /// The display name.
        public var name: String
        /// The smart-list trigger name.
        public var triggerName: String
        /// The smart-list filter name.
        public var filterName: String
        /// `draft`, `approved`, `approved with draft` or `deleted`; only approved types take activities.
        public var status: String
        /// The primary attribute (e.g. `entry_id`).
        public var primaryAttribute: Field
        /// The secondary attributes.
        public var attributes: [Field]

        /// Creates an activity type.
        public init(
            id: Int,
            apiName: String,
            name: String,
            triggerName: String,
            filterName: String,
            status: String = "approved",
            primaryAttribute: Field,
            attributes: [Field]
        ) {
            self.id = id
            self.apiName = apiName
            self.name = name
            self.triggerName = triggerName
            self.filterName = filterName
            self.status = status
            self.primaryAttribute = primaryAttribute
            self.attributes = attributes
        }

        /// Whether activities may be added (the approved version is live).
        var isLive: Bool { status == "approved" || status == "approved with draft" }

        /// `userSessionEngagement` (id 100001, approved) as docs/crm-setup.md creates it: primary attribute
        /// `entry_id`; attributes the entry name, the channel, the virtual event, the command id and 14 of the
        /// engagement metrics (Marketo allows 20 besides the primary one).
        public static let userSessionEngagement = ActivityType(
            id: 100_001,
            apiName: "userSessionEngagement",
            name: "User Session Engagement",
            triggerName: "Has User Session Engagement",
            filterName: "Had User Session Engagement",
            primaryAttribute: Field(name: "entry_id", displayName: "Entry Id", dataType: "string"),
            attributes: [
                Field(name: "entry_name", dataType: "string"),
                Field(name: "channel_id", dataType: "integer"),
                Field(name: "channel_name", dataType: "string"),
                Field(name: "virtual_event_id", dataType: "string"),
                Field(name: "command_id", dataType: "string"),
            ] + Field.activityMetrics
        )

        /// The most secondary attributes Marketo lets a custom activity type have.
        public static let maximumAttributes = 20
    }
}
