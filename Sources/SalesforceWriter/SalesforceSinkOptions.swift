public import HTTPTransport

// MARK: - SalesforceSinkOptions

/// How the Salesforce sink paces its slower calls; tests and the benchmark shorten the bulk poll interval. The
/// org's API names (the CampaignMember External ID, the engagement object and its fields, the status labels) are
/// the tenant's (`SalesforceTenantSettings.campaignMember`, `.engagement`).
public struct SalesforceSinkOptions: Sendable, Hashable {
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
    /// How long a tenant is parked once its org's daily allocation is known to be spent (`GET /limits` shows no
    /// `DailyApiRequests` left, or the `Sforce-Limit-Info` of an answer says so): the rolling 24-hour window frees
    /// requests continuously, so a short park that looks again is enough. The runtime holds the tenant's commands
    /// where they are meanwhile. Default 15 min (`writers.salesforce.quotaPark`).
    public var quotaPark: Duration
    /// How long a tenant is parked when `REQUEST_LIMIT_EXCEEDED` arrived and `GET /limits` could not tell whether
    /// the allocation is spent. Default 60 s.
    public var quotaRecheck: Duration
    /// How the client detects dead connections (connect timeout, low-speed window, keepalive).
    public var http: HTTPTransportSettings
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
        requestTimeout: Duration = .seconds(60),
        bulkPollInterval: Duration = .seconds(1),
        bulkTimeout: Duration = .seconds(600),
        minimumBulkRows: Int = 1_201,
        quotaPark: Duration = .seconds(900),
        quotaRecheck: Duration = .seconds(60),
        http: HTTPTransportSettings = HTTPTransportSettings(),
        memberStatusLifetime: Duration = .seconds(1800),
        checksMemberStatuses: Bool = true,
        rateLimitRetries: Int = 3
    ) {
        self.requestTimeout = requestTimeout
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.minimumBulkRows = max(1, minimumBulkRows)
        self.quotaPark = quotaPark
        self.quotaRecheck = quotaRecheck
        self.http = http
        self.memberStatusLifetime = memberStatusLifetime
        self.checksMemberStatuses = checksMemberStatuses
        self.rateLimitRetries = max(0, rateLimitRetries)
    }
}
