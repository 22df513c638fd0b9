import Metrics
import Synchronization

// MARK: - SalesforceWriterMetrics

/// The Salesforce writer's metrics (names for docs/metrics.md; the Marketo writer's follow the same pattern):
///
/// - `leadsync_salesforce_api_calls_total{tenant,endpoint,result}`: HTTP calls by endpoint and result (`ok`, or
///   Salesforce's error code, `http_<status>`, `transport`);
/// - `leadsync_salesforce_api_call_seconds{endpoint}`: call durations (Timer);
/// - `leadsync_salesforce_api_call_records{tenant,endpoint}`: records carried per write or lookup call (Recorder:
///   records per call is its `_sum` over its `_count`);
/// - `leadsync_salesforce_commands_total{tenant,kind,outcome}`: commands by outcome (`delivered`, `skipped`, or a
///   failure class);
/// - `leadsync_salesforce_lookups_total{tenant,source}`: emails resolved from `cache`, by `query`, or `created`;
/// - `leadsync_salesforce_member_switches_total{tenant,reason}`: member rows resent as an update
///   (`exists_under_key`, `already_member`);
/// - `leadsync_salesforce_bulk_jobs_total{tenant,object,state}`: Bulk API 2.0 jobs by final state;
/// - `leadsync_salesforce_truncated_values_total{tenant,field}`: names cut to their field's length;
/// - `leadsync_salesforce_parks_total{tenant,reason}`: parks (`share_spent`, `org_exhausted`, `allocation_spent`,
///   `limits_unknown`);
/// - `leadsync_salesforce_limit_checks_total{tenant,result}`: `GET /limits` reads after `REQUEST_LIMIT_EXCEEDED`
///   (`available`: not parked, `spent`, `unknown`);
/// - `leadsync_salesforce_secret_rereads_total{tenant}`: credentials read again after Salesforce refused them;
/// - `leadsync_salesforce_api_usage_ratio{tenant}`: the org's `api-usage` N/M from the latest answer (Gauge);
/// - `leadsync_salesforce_coalescing_violations_total{tenant}`: two commands for one member or engagement
///   record in one batch (the runtime should never hand those over; the older is skipped).
final class SalesforceWriterMetrics: Sendable {
    private let handles = Mutex<Handles>(Handles())

    private struct Handles {
        var counters: [Key: Counter] = [:]
        var timers: [Key: Metrics.Timer] = [:]
        var recorders: [Key: Recorder] = [:]
        var gauges: [Key: Gauge] = [:]
    }

    private struct Key: Hashable {
        var label: String
        var values: [String]
    }

    init() {}

    /// One HTTP call answered (or not).
    func apiCall(tenant: String, endpoint: String, result: String, records: Int, duration: Duration) {
        counter(
            "leadsync_salesforce_api_calls_total",
            [("tenant", tenant), ("endpoint", endpoint), ("result", result)]
        )
        .increment()
        timer("leadsync_salesforce_api_call_seconds", [("endpoint", endpoint)]).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
        if records > 0 {
            recorder("leadsync_salesforce_api_call_records", [("tenant", tenant), ("endpoint", endpoint)])
                .record(records)
        }
    }

    /// A command's outcome.
    func command(tenant: String, kind: String, outcome: String) {
        counter("leadsync_salesforce_commands_total", [("tenant", tenant), ("kind", kind), ("outcome", outcome)])
            .increment()
    }

    /// Emails resolved, by source.
    func lookups(tenant: String, source: String, count: Int) {
        guard count > 0 else { return }
        counter("leadsync_salesforce_lookups_total", [("tenant", tenant), ("source", source)])
            .increment(by: Int64(count))
    }

    /// A member row resent as an update.
    func memberSwitch(tenant: String, reason: String) {
        counter("leadsync_salesforce_member_switches_total", [("tenant", tenant), ("reason", reason)]).increment()
    }

    /// A bulk job ended.
    func bulkJob(tenant: String, object: String, state: String) {
        counter("leadsync_salesforce_bulk_jobs_total", [("tenant", tenant), ("object", object), ("state", state)])
            .increment()
    }

    /// A name was cut to its field's length.
    func truncated(tenant: String, field: String) {
        counter("leadsync_salesforce_truncated_values_total", [("tenant", tenant), ("field", field)]).increment()
    }

    /// A `GET /limits` check after `REQUEST_LIMIT_EXCEEDED`: `available`, `spent` or `unknown`.
    func limitChecks(tenant: String, result: String) {
        counter("leadsync_salesforce_limit_checks_total", [("tenant", tenant), ("result", result)]).increment()
    }

    /// The credentials were read again from their reference after Salesforce refused them (a rotation).
    func secretReread(tenant: String) {
        counter("leadsync_salesforce_secret_rereads_total", [("tenant", tenant)]).increment()
    }

    /// The tenant was parked.
    func parked(tenant: String, reason: String) {
        counter("leadsync_salesforce_parks_total", [("tenant", tenant), ("reason", reason)]).increment()
    }

    /// The org's usage ratio.
    func apiUsage(tenant: String, used: Int, allocation: Int) {
        guard allocation > 0 else { return }
        gauge("leadsync_salesforce_api_usage_ratio", [("tenant", tenant)]).record(Double(used) / Double(allocation))
    }

    /// Two commands for one record in one batch.
    func coalescingViolation(tenant: String) {
        counter("leadsync_salesforce_coalescing_violations_total", [("tenant", tenant)]).increment()
    }

    // MARK: Handles

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = Key(label: label, values: dimensions.map(\.1))
        return handles.withLock { handles in
            if let counter = handles.counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            handles.counters[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        let key = Key(label: label, values: dimensions.map(\.1))
        return handles.withLock { handles in
            if let timer = handles.timers[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: dimensions)
            handles.timers[key] = timer
            return timer
        }
    }

    private func recorder(_ label: String, _ dimensions: [(String, String)]) -> Recorder {
        let key = Key(label: label, values: dimensions.map(\.1))
        return handles.withLock { handles in
            if let recorder = handles.recorders[key] { return recorder }
            let recorder = Recorder(label: label, dimensions: dimensions)
            handles.recorders[key] = recorder
            return recorder
        }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        let key = Key(label: label, values: dimensions.map(\.1))
        return handles.withLock { handles in
            if let gauge = handles.gauges[key] { return gauge }
            let gauge = Gauge(label: label, dimensions: dimensions)
            handles.gauges[key] = gauge
            return gauge
        }
    }
}
