public import Marketo

// MARK: - MarketoSinkOptions

/// How a ``MarketoSink`` talks to Marketo beyond what the tenant settings say: timeouts, bulk job polling and the
/// API names of the CRM setup's custom activity type (docs/events.md) and custom object.
public struct MarketoSinkOptions: Sendable {
    /// How long one HTTP call may take (Marketo's own server timeouts go up to 120 s).
    public var requestTimeout: Duration
    /// The time between two status polls of a bulk import (Marketo advises 5 to 30 s).
    public var bulkPollInterval: Duration
    /// How long a bulk import may run before its items are failed as transient (the retry re-imports them:
    /// imports are upserts).
    public var bulkTimeout: Duration
    /// A bulk import is used for one program status (or the custom object) only when it carries more rows than
    /// this many full REST calls would: an import costs one upload, its polls and a failures download.
    public var bulkMinimumCalls: Int
    /// Bulk imports of one batch running at once (Marketo processes 2 per subscription and queues 10).
    public var maxConcurrentBulkImports: Int
    /// In-process repeats of a call that Marketo answered with 606/615 (the limiter pauses before each).
    public var rateLimitRetries: Int
    /// The custom activity type of engagement activities.
    public var activityTypeName: String
    /// The activity attribute that carries the command id (sent only when the type has it).
    public var commandIdAttribute: String
    /// The custom object of engagement records.
    public var customObjectName: String
    /// Called for every HTTP call of every tenant when it ends (benchmarks and tests; keep it fast).
    public var callObserver: (@Sendable (_ tenant: String, _ record: MarketoCallRecord) -> Void)?

    /// Creates options; the defaults suit a real subscription.
    public init(
        requestTimeout: Duration = .seconds(130),
        bulkPollInterval: Duration = .seconds(5),
        bulkTimeout: Duration = .seconds(3_600),
        bulkMinimumCalls: Int = 3,
        maxConcurrentBulkImports: Int = 2,
        rateLimitRetries: Int = 3,
        activityTypeName: String = "userSessionEngagement",
        commandIdAttribute: String = "command_id",
        customObjectName: String = "kalturaUserSessionEngagement",
        callObserver: (@Sendable (_ tenant: String, _ record: MarketoCallRecord) -> Void)? = nil
    ) {
        self.requestTimeout = requestTimeout
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.bulkMinimumCalls = max(1, bulkMinimumCalls)
        self.maxConcurrentBulkImports = max(1, maxConcurrentBulkImports)
        self.rateLimitRetries = max(0, rateLimitRetries)
        self.activityTypeName = activityTypeName
        self.commandIdAttribute = commandIdAttribute
        self.customObjectName = customObjectName
        self.callObserver = callObserver
    }
}
