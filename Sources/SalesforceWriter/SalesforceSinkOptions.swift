// MARK: - SalesforceSinkOptions

/// How the Salesforce sink names the org's fields and paces its slower calls. The defaults are the setup that
/// `docs/events.md` describes plus the engagement External ID an org admin must create (see the module's
/// documentation); tests and the benchmark shorten the bulk poll interval.
public struct SalesforceSinkOptions: Sendable, Hashable {
    /// The CampaignMember External ID field holding `{campaignId}_{leadId}` (or `{campaignId}_{contactId}` for a
    /// converted lead). Default `external_id__c`.
    public var memberExternalIdField: String
    /// The engagement custom object. Default `UserSessionEngagement__c`.
    public var engagementObject: String
    /// The engagement object's External ID field holding `{campaignId}_{personId}_{entryId}`, so a repeated
    /// snapshot updates its record instead of adding one. Default `engagement_key__c` (Text(120), External ID,
    /// unique, case-insensitive: an org admin creates it).
    public var engagementExternalIdField: String
    /// The timeout of one HTTP request. Default 60 s.
    public var requestTimeout: Duration
    /// The time between polls of a Bulk API 2.0 job (each poll is an API call). Default 1 s.
    public var bulkPollInterval: Duration
    /// How long a bulk job may take before its rows are failed as transient. Default 10 minutes.
    public var bulkTimeout: Duration
    /// The fewest rows of one kind in a batch that go through Bulk API 2.0 (when the batch plus the backlog also
    /// reach `bulkThreshold`). A job costs about 7 calls (create, upload, close, polls, two result files), so below
    /// 1,201 rows collections calls are fewer. Default 1,201.
    public var minimumBulkRows: Int
    /// How long a tenant is parked after Salesforce answers `REQUEST_LIMIT_EXCEEDED` (TotalRequests): the rolling
    /// 24-hour window frees requests continuously, so a short park that tries again is enough. Default 15 min.
    public var quotaPark: Duration
    /// How long a campaign's member status labels are trusted before they are read again. Default 30 min.
    public var memberStatusLifetime: Duration
    /// Whether member statuses are checked against the campaign's labels before they are sent (an org that
    /// silently assigns the default status to an unknown label would otherwise lose the status). Default true.
    public var checksMemberStatuses: Bool
    /// In-process retries of a call answered with a rate or concurrency limit (the limiter pauses first).
    /// Default 3.
    public var rateLimitRetries: Int

    /// Creates options; every parameter has the default described on its property.
    public init(
        memberExternalIdField: String = "external_id__c",
        engagementObject: String = "UserSessionEngagement__c",
        engagementExternalIdField: String = "engagement_key__c",
        requestTimeout: Duration = .seconds(60),
        bulkPollInterval: Duration = .seconds(1),
        bulkTimeout: Duration = .seconds(600),
        minimumBulkRows: Int = 1_201,
        quotaPark: Duration = .seconds(900),
        memberStatusLifetime: Duration = .seconds(1800),
        checksMemberStatuses: Bool = true,
        rateLimitRetries: Int = 3
    ) {
        self.memberExternalIdField = memberExternalIdField
        self.engagementObject = engagementObject
        self.engagementExternalIdField = engagementExternalIdField
        self.requestTimeout = requestTimeout
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.minimumBulkRows = max(1, minimumBulkRows)
        self.quotaPark = quotaPark
        self.memberStatusLifetime = memberStatusLifetime
        self.checksMemberStatuses = checksMemberStatuses
        self.rateLimitRetries = max(0, rateLimitRetries)
    }
}
