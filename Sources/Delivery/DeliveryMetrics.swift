import Metrics
import Synchronization

// MARK: - DeliveryMetrics

/// The writer runtime's metrics (docs/metrics.md), labelled by destination and, where it helps an operator act,
/// by tenant.
final class DeliveryMetrics: Sendable {
    let destination: String
    private let counters = Mutex<[String: Counter]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])
    let batchSize: Recorder
    let batchDuration: Metrics.Timer
    let unfinished: Gauge
    let delayed: Gauge
    let parked: Gauge
    let commitFailures: Counter
    let produceFailures: Counter
    /// Time a send to Kafka (routed records, ledger records) waited for room in the producer's full local queue.
    let produceQueueFullWait: Metrics.Timer

    init(destination: String) {
        self.destination = destination
        let dimensions = [("destination", destination)]
        batchSize = Recorder(label: "leadsync_writer_batch_commands", dimensions: dimensions)
        batchDuration = Metrics.Timer(label: "leadsync_writer_batch_seconds", dimensions: dimensions)
        unfinished = Gauge(label: "leadsync_writer_unfinished_commands", dimensions: dimensions)
        delayed = Gauge(label: "leadsync_writer_delayed_retries", dimensions: dimensions)
        parked = Gauge(label: "leadsync_writer_parked_subscriptions", dimensions: dimensions)
        commitFailures = Counter(label: "leadsync_writer_commit_failures_total", dimensions: dimensions)
        produceFailures = Counter(label: "leadsync_writer_route_produce_failures_total", dimensions: dimensions)
        produceQueueFullWait = Metrics.Timer(
            label: "leadsync_writer_produce_queue_full_seconds",
            dimensions: dimensions
        )
    }

    /// `leadsync_consumer_lag{group, topic}`: records behind the end of the topic's assigned partitions.
    func lag(group: String, byTopic: [String: Int64]) {
        for (topic, records) in byTopic {
            let key = "lag\u{1}" + topic
            let gauge = gauges.withLock { gauges in
                if let gauge = gauges[key] { return gauge }
                let gauge = Gauge(label: "leadsync_consumer_lag", dimensions: [("group", group), ("topic", topic)])
                gauges[key] = gauge
                return gauge
            }
            gauge.record(records)
        }
    }

    /// `leadsync_writer_commands_total{destination, tenant, outcome}`; for failures also `class` and `code`.
    func commands(tenant: String, outcome: String, count: Int = 1, failure: DeliveryFailure? = nil) {
        guard count > 0 else { return }
        var key = tenant + "\u{1}" + outcome
        if let failure { key += "\u{1}" + failure.errorClass.rawValue + "\u{1}" + failure.code }
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            var dimensions = [("destination", destination), ("tenant", tenant), ("outcome", outcome)]
            if let failure {
                dimensions.append(("class", failure.errorClass.rawValue))
                dimensions.append(("code", failure.code))
            }
            let counter = Counter(label: "leadsync_writer_commands_total", dimensions: dimensions)
            counters[key] = counter
            return counter
        }
        counter.increment(by: count)
    }
}
