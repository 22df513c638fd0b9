import Marketo
import Metrics
import Synchronization

// MARK: - MarketoSinkMetrics

/// The Marketo writer's swift-metrics handles, made once per label and dimension values. Named like the Salesforce
/// writer's (`leadsync_<crm>_api_calls_total`, `..._api_call_seconds`, `..._api_call_records`, `..._commands_total`,
/// `..._lookups_total`, `..._bulk_jobs_total`), so one dashboard query serves both CRMs:
///
/// - `leadsync_marketo_api_calls_total{tenant,endpoint,result}`: HTTP calls by endpoint and result (`ok`, `606`,
///   `http_503`, `transport`, …).
/// - `leadsync_marketo_api_call_seconds{endpoint}`: call durations (Timer).
/// - `leadsync_marketo_api_call_records{tenant,endpoint}`: records carried per call (Recorder: records per call is
///   its `_sum` over its `_count`).
/// - `leadsync_marketo_commands_total{tenant,kind,outcome}`: commands by outcome (`delivered`, `skipped`, or the
///   failure class).
/// - `leadsync_marketo_lookups_total{tenant,source}`: email -> leadId resolutions from the `cache` or by a lead
///   `upsert` (which costs a call).
/// - `leadsync_marketo_bulk_jobs_total{tenant,object,state}`: bulk imports by object (`programMembers`,
///   `customObject`) and final state (`Complete`, `Failed`, `error`, `timeout`).
/// - `leadsync_marketo_activity_settlements_total{tenant,result}`: activities whose earlier call's outcome was
///   unknown, by how they were settled (`found`, `absent`, `failed`, `waiting`).
/// - `leadsync_marketo_secret_rereads_total{tenant}`: client secrets read again after Marketo refused them.
final class MarketoSinkMetrics: Sendable {
    private let handles = Mutex<Handles>(Handles())

    private struct Handles {
        var counters: [Key: Counter] = [:]
        var timers: [Key: Metrics.Timer] = [:]
        var recorders: [Key: Recorder] = [:]
    }

    private struct Key: Hashable {
        var label: String
        var values: [String]
    }

    /// One HTTP call ended.
    func recordCall(tenant: String, _ record: MarketoCallRecord) {
        let endpoint = record.endpoint.name
        counter(
            "leadsync_marketo_api_calls_total",
            [("tenant", tenant), ("endpoint", endpoint), ("result", record.resultCode)]
        ).increment()
        if record.records > 0 {
            recorder("leadsync_marketo_api_call_records", [("tenant", tenant), ("endpoint", endpoint)])
                .record(record.records)
        }
        let (seconds, attoseconds) = record.duration.components
        timer("leadsync_marketo_api_call_seconds", [("endpoint", endpoint)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Command outcomes of a batch.
    func recordOutcome(tenant: String, kind: String, outcome: String, count: Int = 1) {
        guard count > 0 else { return }
        counter("leadsync_marketo_commands_total", [("tenant", tenant), ("kind", kind), ("outcome", outcome)])
            .increment(by: count)
    }

    /// Lead id look-ups: answered by the cache, or by a lead upsert.
    func recordLeadLookups(tenant: String, cached: Int, upserted: Int) {
        if cached > 0 {
            counter("leadsync_marketo_lookups_total", [("tenant", tenant), ("source", "cache")]).increment(by: cached)
        }
        if upserted > 0 {
            counter("leadsync_marketo_lookups_total", [("tenant", tenant), ("source", "upsert")])
                .increment(by: upserted)
        }
    }

    /// The client secret was read again from its reference after Marketo refused it (a rotation).
    func secretReread(tenant: String) {
        counter("leadsync_marketo_secret_rereads_total", [("tenant", tenant)]).increment()
    }

    /// Activities of unknown outcome: `found` in Marketo (delivered without a call), `absent` (sent again),
    /// `failed` (the read back failed), `waiting` (not yet due for the read back).
    func recordSettlement(tenant: String, result: String, count: Int = 1) {
        guard count > 0 else { return }
        counter("leadsync_marketo_activity_settlements_total", [("tenant", tenant), ("result", result)])
            .increment(by: count)
    }

    /// A bulk import ended.
    func recordBulkImport(tenant: String, object: String, state: String) {
        counter("leadsync_marketo_bulk_jobs_total", [("tenant", tenant), ("object", object), ("state", state)])
            .increment()
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
}
