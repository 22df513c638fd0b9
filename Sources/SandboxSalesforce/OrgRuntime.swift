import Foundation
import Logging

// MARK: - OrgRuntime

/// Everything the sandbox keeps for one org: its data, allocation window, call log, counters, query cursors
/// and bulk jobs. Lives inside the store's lock; every method runs with the lock held.
struct OrgRuntime: Sendable {
    struct QueryCursor: Sendable {
        var rows: [JSONValue]
        var batchSize: Int
        var version: String
    }

    let setup: SalesforceSandboxSetup.Org
    var data: OrgData
    /// Sandbox times of counted API calls, oldest first; pruned to the rolling 24 hours.
    var apiCallTimes: [Date] = []
    /// Sandbox times of bulk batches consumed, oldest first.
    var bulkBatchTimes: [Date] = []
    var calls: [SandboxCall] = []
    var counters = SandboxCounters()
    var cursors: [String: QueryCursor] = [:]
    var jobs: [String: BulkJob] = [:]
    var jobOrder: [String] = []
    var nextLocator = 1
    let userId: String
    /// The consumer secret the token endpoint accepts: the setup's until it is rotated.
    var clientSecret: String
    /// Where calls are logged at debug level (the store's logger).
    var logger: Logger?
    /// The fault rules, lent by the store for the duration of one call so per-record faults can be drawn.
    var faultBook: FaultBook?

    init(setup: SalesforceSandboxSetup.Org, index: Int, now: Date) throws(SetupError) {
        self.setup = setup
        self.data = try OrgData(org: setup, now: now)
        self.userId = SalesforceId.make(prefix: "005", sequence: index + 1)
        self.clientSecret = setup.clientSecret
        self.counters.apiRequestAllocation = setup.limits.dailyApiRequests
    }

    var limits: SalesforceSandboxSetup.Limits { setup.limits }

    // MARK: - Allocation

    /// Drops calls older than the rolling 24-hour window.
    mutating func pruneWindow(now: Date) {
        let cutoff = now.addingTimeInterval(-86_400)
        if let firstKept = apiCallTimes.firstIndex(where: { $0 > cutoff }) {
            apiCallTimes.removeFirst(firstKept)
        } else {
            apiCallTimes.removeAll()
        }
        if let firstKept = bulkBatchTimes.firstIndex(where: { $0 > cutoff }) {
            bulkBatchTimes.removeFirst(firstKept)
        } else {
            bulkBatchTimes.removeAll()
        }
        counters.apiRequestsInWindow = apiCallTimes.count
    }

    /// The `Sforce-Limit-Info` header value.
    var limitInfo: String { "api-usage=\(apiCallTimes.count)/\(limits.dailyApiRequests)" }

    mutating func countCall(now: Date) {
        apiCallTimes.append(now)
        counters.apiRequestsTotal += 1
        counters.apiRequestsInWindow = apiCallTimes.count
    }

    // MARK: - Log

    /// The call log keeps this many entries (the oldest tenth is dropped past it); counters stay exact.
    static let callLogCapacity = 100_000

    mutating func log(_ call: SandboxCall, extraErrorCodes: [String] = []) {
        var call = call
        call.rowErrorCodes = extraErrorCodes
        logger?.debug("sandbox call", metadata: call.logMetadata())
        calls.append(call)
        if calls.count > Self.callLogCapacity {
            calls.removeFirst(Self.callLogCapacity / 10)
        }
        counters.callsByEndpoint[call.endpoint, default: 0] += 1
        if let code = call.errorCode {
            counters.errorsByCode[code, default: 0] += 1
        }
        for code in extraErrorCodes {
            counters.errorsByCode[code, default: 0] += 1
        }
    }

    /// Empties the call log (the counters keep counting); returns how many entries it held.
    mutating func clearCallLog() -> Int {
        defer { calls.removeAll() }
        return calls.count
    }

    mutating func noteWrite(type: String, created: Bool) {
        if created {
            counters.recordsCreated[type, default: 0] += 1
        } else {
            counters.recordsUpdated[type, default: 0] += 1
        }
    }

    // MARK: - Dispatch

    /// Answers one API call (auth, limits and faults already handled by the store).
    mutating func handle(_ request: APIRequest, now: Date) -> APIResult {
        advanceJobs(now: now)
        switch request.endpoint {
        case "limits" where request.method == "GET": return limitsResult(now: now)
        case "query" where request.method == "GET": return query(request)
        case "query.more" where request.method == "GET": return queryMore(request)
        case "sobject.create": return createRecord(request, now: now)
        case "sobject.describe": return describe(request)
        case "sobject.get": return getRecord(request)
        case "sobject.update": return updateRecord(request, now: now)
        case "sobject.delete": return deleteRecord(request)
        case "sobject.upsert" where request.method == "PATCH": return upsertRecord(request, now: now)
        case "collections.create": return collectionCreate(request, now: now)
        case "collections.update": return collectionUpdate(request, now: now)
        case "collections.upsert": return collectionUpsert(request, now: now)
        case "collections.delete": return collectionDelete(request)
        case "composite" where request.method == "POST": return composite(request, now: now)
        case "composite.batch": return compositeBatch(request, now: now)
        case let endpoint where endpoint.hasPrefix("bulk"): return bulk(request, now: now)
        case "sobject" where request.segments.count == 2 && request.method == "GET":
            return basicInfo(request)
        case "sobject" where (2...4).contains(request.segments.count):
            let allowed = Self.allowedMethods(request.segments.count)
            return .failure(
                405,
                APIError(
                    "METHOD_NOT_ALLOWED",
                    "HTTP Method '\(request.method)' not allowed. Allowed are \(allowed)"
                )
            )
        default: return .failure(404, APIError.notFound())
        }
    }

    private static func allowedMethods(_ segments: Int) -> String {
        switch segments {
        case 2: return "GET,HEAD,POST"
        case 3: return "GET,PATCH,HEAD,DELETE"
        default: return "GET,PATCH,HEAD,DELETE"
        }
    }
}
