public import LeadModel

// MARK: - SalesforceCampaignMemberNames

/// How campaign members are named in the org: the CampaignMember External ID field that holds
/// `{campaignId}_{personId}`, and the CampaignMemberStatus label each channel status is written as.
public struct SalesforceCampaignMemberNames: Sendable, Hashable {
    /// The External ID field (default `external_id__c`: Text, unique, case-insensitive, External ID).
    public var externalIdField: String
    /// Channel status -> CampaignMemberStatus label (default: the status's own name, `Un-registered` included).
    public var statusLabels: [ChannelStatus: String]

    /// Every channel status written as its own name.
    public static let defaultStatusLabels: [ChannelStatus: String] = Dictionary(
        uniqueKeysWithValues: ChannelStatus.allCases.map { ($0, $0.name) }
    )

    /// `external_id__c` and the channel status names.
    public static let standard = SalesforceCampaignMemberNames()

    /// Creates the names.
    public init(
        externalIdField: String = "external_id__c",
        statusLabels: [ChannelStatus: String] = SalesforceCampaignMemberNames.defaultStatusLabels
    ) {
        self.externalIdField = externalIdField
        self.statusLabels = statusLabels
    }

    /// The label `status` is written as.
    public func label(for status: ChannelStatus) -> String {
        statusLabels[status] ?? status.name
    }
}

// MARK: - SalesforceEngagementNames

/// The custom object engagement records are upserted into, its External ID field and its fields' API names.
///
/// The default is docs/crm-setup.md's `UserSessionEngagement__c` upserted by `engagement_key__c`
/// (`{campaignId}_{personId}_{entryId}`), with `campaign_member__c`, `Lead__c`, `entry_id__c`, `entry_name__c`,
/// `email__c`, `user__c`, `channel_id__c`, `channel_name__c` and `<metric>__c` per metric, except
/// `combined_live_engaged_ratio__c` for `combined_live_engaged_users_play_time_ratio` (a Salesforce field name
/// has at most 40 characters).
public struct SalesforceEngagementNames: Sendable, Hashable {
    /// The object's API name.
    public var object: String
    /// The External ID field records are upserted by.
    public var externalIdField: String
    /// Field -> API name, for the fields that are sent.
    public var fields: [EngagementField: String]

    /// The fields an engagement record may carry.
    public static let allowedFields: [EngagementField] =
        [.campaignMember, .lead, .entryId, .entryName, .email, .userId, .channelId, .channelName]
        + EngagementField.metrics

    /// docs/crm-setup.md's field names.
    public static let defaultFields: [EngagementField: String] = {
        var fields: [EngagementField: String] = [
            .campaignMember: "campaign_member__c", .lead: "Lead__c", .entryId: "entry_id__c",
            .entryName: "entry_name__c", .email: "email__c", .userId: "user__c", .channelId: "channel_id__c",
            .channelName: "channel_name__c",
        ]
        for case .metric(let metric) in EngagementField.metrics { fields[.metric(metric)] = "\(metric.key)__c" }
        fields[.metric(.combinedLiveEngagedUsersPlayTimeRatio)] = "combined_live_engaged_ratio__c"
        return fields
    }()

    /// `UserSessionEngagement__c` by `engagement_key__c` with the default fields.
    public static let standard = SalesforceEngagementNames()

    /// Creates the names.
    public init(
        object: String = "UserSessionEngagement__c",
        externalIdField: String = "engagement_key__c",
        fields: [EngagementField: String] = SalesforceEngagementNames.defaultFields
    ) {
        self.object = object
        self.externalIdField = externalIdField
        self.fields = fields
    }
}
