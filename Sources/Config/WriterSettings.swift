public import LeadModel

// MARK: - WriterSettings

/// One writer role (Marketo or Salesforce): its consumer group, batching and retry policy.
public struct WriterSettings: Sendable, Hashable {
    /// The consumer group (default `leadsync-writer-marketo` / `leadsync-writer-salesforce`).
    public var groupId: String
    /// How long a batch may wait for more commands before it is sent (default 200ms; 0 sends at once).
    public var linger: Duration
    /// Records per API call (default and maximum: Marketo 300, Salesforce 200).
    public var maxRecordsPerCall: Int
    /// Retries of transient failures.
    public var retry: RetryPolicy
    /// From this many records for one tenant and call kind, the bulk API is used (default: Marketo 3000,
    /// Salesforce 2000).
    public var bulkThreshold: Int
    /// How long making a connection to the CRM may take (default 5s).
    public var connectTimeout: Duration = .seconds(5)
    /// A call that moves no byte for this long is taken for a dead connection and fails (default 20s); longer
    /// than the slowest first byte of a healthy answer.
    public var lowSpeedWindow: Duration = .seconds(20)
    /// A subscription parked for at most this long holds its commands in memory instead of the retry topic
    /// (default 1h).
    public var parkHoldLimit: Duration = .seconds(3_600)
    /// Marketo: how long after an activity call's intent its outcome, when unknown, is read back from Marketo
    /// (default 150s; longer than Marketo's 90 s server timeout for Add Custom Activities).
    public var activitySettleDelay: Duration = .seconds(150)
    /// Salesforce: how long a tenant is parked once the org's daily allocation is known to be spent (default 15m).
    public var quotaPark: Duration = .seconds(900)

    /// Creates writer settings.
    public init(
        groupId: String,
        linger: Duration = .milliseconds(200),
        maxRecordsPerCall: Int,
        retry: RetryPolicy = RetryPolicy(),
        bulkThreshold: Int
    ) {
        self.groupId = groupId
        self.linger = linger
        self.maxRecordsPerCall = maxRecordsPerCall
        self.retry = retry
        self.bulkThreshold = bulkThreshold
    }

    /// The defaults of a destination's writer.
    public static func defaults(for destination: Destination) -> WriterSettings {
        WriterSettings(
            groupId: "leadsync-writer-\(destination.rawValue)",
            maxRecordsPerCall: maximumRecordsPerCall(for: destination),
            bulkThreshold: destination == .marketo ? 3000 : 2000
        )
    }

    /// The API's limit on records per call: Marketo 300, Salesforce 200 (sObject Collections).
    public static func maximumRecordsPerCall(for destination: Destination) -> Int {
        destination == .marketo ? 300 : 200
    }
}
