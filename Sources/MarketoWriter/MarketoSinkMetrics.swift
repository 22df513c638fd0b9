import Marketo
import Metrics
import Synchronization

// MARK: - MarketoSinkMetrics

/// The Marketo writer's swift-metrics handles, made once per label and dimension values.
///
/// - `leadsync_marketo_calls_total{tenant,endpoint,result}`: HTTP calls by endpoint and result (`ok`, `606`,
///   `http_503`, `transport`, …).
/// - `leadsync_marketo_call_records_total{tenant,endpoint}`: records carried by calls (records per call is this
///   over the calls).
/// - `leadsync_marketo_call_duration_seconds{endpoint}`: call latency.
/// - `leadsync_marketo_outcomes_total{kind,outcome}`: command outcomes (`delivered`, `skipped`, or the failure
///   class).
/// - `leadsync_marketo_lead_cache_total{result}`: lead id look-ups answered by the cache (`hit`) or by an upsert
///   (`miss`).
/// - `leadsync_marketo_bulk_imports_total{object,state}`: bulk imports by object (`programMembers`,
///   `customObject`) and final state (`Complete`, `Failed`, `error`).
/// - `leadsync_marketo_secret_rereads_total{tenant}`: client secrets read again after Marketo refused them.
final class MarketoSinkMetrics: Sendable {
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: Metrics.Timer]>([:])

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = dimensions.reduce(label) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions)
            counters[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        let key = dimensions.reduce(label) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
        return timers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(label: label, dimensions: dimensions)
            timers[key] = timer
            return timer
        }
    }

    /// One HTTP call ended.
    func recordCall(tenant: String, _ record: MarketoCallRecord) {
        let endpoint = record.endpoint.name
        counter(
            "leadsync_marketo_calls_total",
            [("tenant", tenant), ("endpoint", endpoint), ("result", record.resultCode)]
        ).increment()
        if record.records > 0 {
            counter("leadsync_marketo_call_records_total", [("tenant", tenant), ("endpoint", endpoint)])
                .increment(by: record.records)
        }
        let (seconds, attoseconds) = record.duration.components
        timer("leadsync_marketo_call_duration_seconds", [("endpoint", endpoint)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Command outcomes of a batch.
    func recordOutcome(kind: String, outcome: String, count: Int = 1) {
        guard count > 0 else { return }
        counter("leadsync_marketo_outcomes_total", [("kind", kind), ("outcome", outcome)]).increment(by: count)
    }

    /// Lead id look-ups.
    func recordLeadCache(hits: Int, misses: Int) {
        if hits > 0 { counter("leadsync_marketo_lead_cache_total", [("result", "hit")]).increment(by: hits) }
        if misses > 0 { counter("leadsync_marketo_lead_cache_total", [("result", "miss")]).increment(by: misses) }
    }

    /// The client secret was read again from its reference after Marketo refused it (a rotation).
    func secretReread(tenant: String) {
        counter("leadsync_marketo_secret_rereads_total", [("tenant", tenant)]).increment()
    }

    /// A bulk import ended.
    func recordBulkImport(object: String, state: String) {
        counter("leadsync_marketo_bulk_imports_total", [("object", object), ("state", state)]).increment()
    }
}
