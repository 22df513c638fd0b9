public import LeadModel

// MARK: - MarketoActivityTypeNames

/// The Marketo custom activity type engagement activities are added as, and its attributes' API names.
///
/// The default is docs/crm-setup.md's `userSessionEngagement`: the entry id is the primary attribute's value; the
/// attributes are `entry_name`, `channel_id`, `channel_name`, `virtual_event_id`, `command_id` and 14 of the 24
/// metrics under their own names (Marketo allows 20 attributes besides the primary one; the live engagement rate
/// buckets and the single reactions are on the custom object only).
public struct MarketoActivityTypeNames: Sendable, Hashable {
    /// The activity type's API name.
    public var apiName: String
    /// Field -> attribute API name, for the fields that are sent (the writer also leaves out attributes the
    /// type lacks, so `commandId` is optional in Marketo; ``EngagementField/commandId`` missing from this mapping
    /// stops sending it).
    public var attributes: [EngagementField: String]

    /// The fields an activity may carry as attributes.
    public static let allowedFields: [EngagementField] =
        [.entryName, .channelId, .channelName, .virtualEventId, .commandId] + EngagementField.metrics

    /// The metrics docs/crm-setup.md puts on the activity type.
    public static let defaultMetrics: [EngagementMetric] = [
        .plays, .vodMinutesViewed, .liveMinutesViewed, .totalVodCompletionRate, .answeredPolls, .messagesSentGroup,
        .qnaThreads, .combinedLiveEngagedUsersPlayTimeRatio, .downloadAttachment, .addToCalendar, .micOn, .camOn,
        .totalReactionsActivity, .raiseHand,
    ]

    /// docs/crm-setup.md's attribute names.
    public static let defaultAttributes: [EngagementField: String] = {
        var attributes: [EngagementField: String] = [
            .entryName: "entry_name", .channelId: "channel_id", .channelName: "channel_name",
            .virtualEventId: "virtual_event_id", .commandId: "command_id",
        ]
        for metric in defaultMetrics { attributes[.metric(metric)] = metric.key }
        return attributes
    }()

    /// `userSessionEngagement` with the default attributes.
    public static let standard = MarketoActivityTypeNames(apiName: "userSessionEngagement")

    /// Creates the names.
    public init(apiName: String, attributes: [EngagementField: String] = MarketoActivityTypeNames.defaultAttributes) {
        self.apiName = apiName
        self.attributes = attributes
    }
}

// MARK: - MarketoCustomObjectNames

/// The Marketo custom object engagement records are upserted into: its API name, its fields' API names and its
/// dedupe fields.
///
/// The default is docs/crm-setup.md's `kalturaUserSessionEngagement`: dedupe on `entry_id` and the lead link
/// `personId` (a link field to the lead's id), and `entry_name`, `channel_id`, `channel_name`,
/// `virtual_event_id`, `email`, `user_id` and one field per metric under its own name.
public struct MarketoCustomObjectNames: Sendable, Hashable {
    /// The custom object's API name.
    public var apiName: String
    /// The field holding the entry id (always sent).
    public var entryIdField: String
    /// The link field holding the lead's id (always sent).
    public var leadLinkField: String
    /// Field -> API name for the other fields that are sent.
    public var fields: [EngagementField: String]
    /// The object's dedupe fields (1 to 3 of the field names above; Sync Custom Objects matches records on them).
    public var dedupeFields: [String]

    /// The fields a record may carry besides the entry id and the lead link.
    public static let allowedFields: [EngagementField] =
        [.entryName, .channelId, .channelName, .virtualEventId, .email, .userId] + EngagementField.metrics

    /// docs/crm-setup.md's field names besides the entry id and the lead link.
    public static let defaultFields: [EngagementField: String] = {
        var fields: [EngagementField: String] = [
            .entryName: "entry_name", .channelId: "channel_id", .channelName: "channel_name",
            .virtualEventId: "virtual_event_id", .email: "email", .userId: "user_id",
        ]
        for case .metric(let metric) in EngagementField.metrics { fields[.metric(metric)] = metric.key }
        return fields
    }()

    /// `kalturaUserSessionEngagement` with the default fields, deduplicated on `entry_id` and `personId`.
    public static let standard = MarketoCustomObjectNames(apiName: "kalturaUserSessionEngagement")

    /// Creates the names.
    public init(
        apiName: String,
        entryIdField: String = "entry_id",
        leadLinkField: String = "personId",
        fields: [EngagementField: String] = MarketoCustomObjectNames.defaultFields,
        dedupeFields: [String]? = nil
    ) {
        self.apiName = apiName
        self.entryIdField = entryIdField
        self.leadLinkField = leadLinkField
        self.fields = fields
        self.dedupeFields = dedupeFields ?? [entryIdField, leadLinkField]
    }

    /// Every field name the writer sends with every record (the ones a dedupe field may be).
    public var alwaysSentFields: [String] {
        [entryIdField, leadLinkField]
            + [EngagementField.entryName, .channelId, .channelName, .virtualEventId, .email].compactMap { fields[$0] }
    }
}
