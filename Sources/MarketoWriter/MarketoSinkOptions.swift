public import Foundation
public import HTTPTransport
public import Marketo

// MARK: - MarketoSinkOptions

/// How a ``MarketoSink`` talks to Marketo beyond what the tenant settings say: timeouts, dead-connection detection,
/// bulk job polling and the settle delay of activities of unknown outcome. The API names of the custom activity type
/// (its command id attribute included) and custom object are the tenant's (`MarketoTenantSettings`).
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
    /// How long after an activity call's intent Marketo must be done with the call (its server timeout for Add
    /// Custom Activities is 90 s): only then is an intent without an outcome read back from Marketo, and the
    /// activity sent again if it is not there. Longer than the HTTP request timeout. Default 150 s.
    public var activitySettleDelay: Duration
    /// How the client detects dead connections (connect timeout, low-speed window, keepalive).
    public var http: HTTPTransportSettings
    /// The time of activity intents and outcomes and of their settle delay (tests move it by hand).
    public var clock: @Sendable () -> Date
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
        activitySettleDelay: Duration = .seconds(150),
        http: HTTPTransportSettings = HTTPTransportSettings(),
        clock: @escaping @Sendable () -> Date = { Date() },
        callObserver: (@Sendable (_ tenant: String, _ record: MarketoCallRecord) -> Void)? = nil
    ) {
        self.requestTimeout = requestTimeout
        self.bulkPollInterval = bulkPollInterval
        self.bulkTimeout = bulkTimeout
        self.bulkMinimumCalls = max(1, bulkMinimumCalls)
        self.maxConcurrentBulkImports = max(1, maxConcurrentBulkImports)
        self.rateLimitRetries = max(0, rateLimitRetries)
        self.activitySettleDelay = activitySettleDelay
        self.http = http
        self.clock = clock
        self.callObserver = callObserver
    }
}
