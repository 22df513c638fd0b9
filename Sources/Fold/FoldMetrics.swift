import Kafka
import Metrics

/// The fold's metrics (docs/metrics.md). Labelled counters are created once per label set and reused: creating
/// a handle goes through the metrics factory, which is too slow for every record.
struct FoldMetrics {
    private var counters: [CounterKey: Counter] = [:]
    private var lagGauges: [String: Gauge] = [:]
    /// Timers, not recorders: a timer's histogram has buckets in seconds (a recorder's default buckets, 5 to 10,000,
    /// suit counts, not seconds).
    let restoreSeconds = Metrics.Timer(label: "leadsync_fold_restore_seconds")
    let transactionSeconds = Metrics.Timer(label: "leadsync_fold_transaction_seconds")
    let assignedPartitions = Gauge(label: "leadsync_fold_assigned_partitions")
    let leadsInState = Gauge(label: "leadsync_fold_leads")

    /// A restore read `changelogRecords` from the changelog and `snapshotRecords` leads from snapshots: together the
    /// `records` of its "partitions restored" log line.
    mutating func restored(changelogRecords: Int, snapshotRecords: Int) {
        counter("leadsync_fold_restored_records_total", ("source", "changelog")).increment(by: changelogRecords)
        counter("leadsync_fold_restored_records_total", ("source", "snapshot")).increment(by: snapshotRecords)
    }

    /// `leadsync_consumer_lag{group, topic}` of the fold's inputs, as the writers report theirs: per topic, the records
    /// between the consumer's position and the partition's end (its high watermark, as last fetched) over the
    /// partitions this instance folds. Computed from the fold's own positions, not from the group's committed
    /// offsets, which a broker that does not store transactional offsets (the mock cluster) never moves.
    mutating func lag(group: String, topics: [String], byPartition: [TopicPartition: Int64]) {
        var byTopic = Dictionary(uniqueKeysWithValues: topics.map { ($0, Int64(0)) })
        for (partition, records) in byPartition { byTopic[partition.topic, default: 0] += records }
        for (topic, records) in byTopic {
            let gauge: Gauge
            if let existing = lagGauges[topic] {
                gauge = existing
            } else {
                gauge = Gauge(label: "leadsync_consumer_lag", dimensions: [("group", group), ("topic", topic)])
                lagGauges[topic] = gauge
            }
            gauge.record(records)
        }
    }

    /// Input records by topic and what became of them: `folded`, `dead_lettered`, `repartitioned`.
    mutating func input(topic: String, result: String) {
        counter("leadsync_fold_events_total", ("topic", topic), ("result", result)).increment()
    }

    mutating func transitionApplied(status: String) {
        counter("leadsync_fold_transitions_applied_total", ("status", status)).increment()
    }

    mutating func transitionRejected(reason: String) {
        counter("leadsync_fold_transitions_rejected_total", ("reason", reason)).increment()
    }

    /// An event earlier in event time than events already folded for its lead: its timeline was re-folded.
    mutating func lateEvent() {
        counter("leadsync_fold_late_events_total").increment()
    }

    /// A status change caused by a late event (a correction of a status already emitted), by the new status.
    mutating func correction(status: String) {
        counter("leadsync_fold_corrections_total", ("status", status)).increment()
    }

    /// A member-status command written after a restore so that the last command of a lead and virtual event on
    /// its topic carries the fold's status again.
    mutating func restatedCommand() {
        counter("leadsync_fold_restated_commands_total").increment()
    }

    mutating func command(destination: String, kind: String) {
        counter("leadsync_fold_commands_total", ("destination", destination), ("kind", kind)).increment()
    }

    mutating func deadLetter(code: String) {
        counter("leadsync_fold_dead_letters_total", ("code", code)).increment()
    }

    /// An output found in the log from a transaction that did not commit, so not written again.
    mutating func suppressedOutput() {
        counter("leadsync_fold_suppressed_outputs_total").increment()
    }

    mutating func transaction(result: String) {
        counter("leadsync_fold_transactions_total", ("result", result)).increment()
    }

    /// A restore that could not be exact (the changelog's head was deleted and no snapshot covers it).
    mutating func incompleteRestore() {
        counter("leadsync_fold_incomplete_restores_total").increment()
    }

    /// A label and its (at most two) dimension values, compared as they are: nothing is allocated per record.
    private struct CounterKey: Hashable {
        var label: String
        var first: String
        var second: String
    }

    private mutating func counter(_ label: String) -> Counter {
        counter(CounterKey(label: label, first: "", second: "")) { Counter(label: label) }
    }

    private mutating func counter(_ label: String, _ dimension: (String, String)) -> Counter {
        counter(CounterKey(label: label, first: dimension.1, second: "")) {
            Counter(label: label, dimensions: [dimension])
        }
    }

    private mutating func counter(
        _ label: String,
        _ first: (String, String),
        _ second: (String, String)
    ) -> Counter {
        counter(CounterKey(label: label, first: first.1, second: second.1)) {
            Counter(label: label, dimensions: [first, second])
        }
    }

    private mutating func counter(_ key: CounterKey, make: () -> Counter) -> Counter {
        if let counter = counters[key] { return counter }
        let counter = make()
        counters[key] = counter
        return counter
    }
}
