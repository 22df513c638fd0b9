import Kafka
import LeadModel

/// A part of one polled batch that one fold worker folds: some partitions' tasks with their records.
///
/// Partitions are independent (a lead belongs to one), so the shares of a batch fold on several threads at once.
/// A share is a reference so that its tasks are never copied on the way to a worker and back: a copy of a task
/// would make its store copy every lead on the next change.
///
/// `@unchecked Sendable`: a share is used by one worker at a time, and by the engine only before the workers start
/// and after they all finished (the task group's completion orders those accesses).
final class FoldShare: @unchecked Sendable {
    struct Job {
        var task: FoldTask
        var records: [ConsumedRecord]
    }

    private(set) var jobs: [Job] = []
    /// Input records in the share: what balancing counts.
    private(set) var recordCount = 0
    /// Outputs held back while the previous transaction commits (`nil`: sent to the open transaction at once).
    private(set) var held: [OutgoingRecord]?
    /// The first failure: the share stops there, and the engine rethrows it once every task is back.
    private(set) var failure: FoldError?
    /// The worker's metric handles (created once per label set, then reused).
    var metrics: FoldMetrics

    private init(holding: Bool, metrics: FoldMetrics) {
        self.held = holding ? [] : nil
        self.metrics = metrics
    }

    /// Moves the jobs into at most `metrics.count` shares of about equal record counts (largest job first, each to
    /// the lightest share); `jobs` is left empty, so that every task has one owner.
    static func split(_ jobs: inout [Job], metrics: [FoldMetrics], holding: Bool) -> [FoldShare] {
        let count = max(1, min(metrics.count, jobs.count))
        let shares = (0..<count).map { FoldShare(holding: holding, metrics: metrics[$0]) }
        jobs.sort { $0.records.count < $1.records.count }
        while let job = jobs.popLast() {
            let lightest = shares.min { $0.recordCount < $1.recordCount } ?? shares[0]
            lightest.recordCount += job.records.count
            lightest.jobs.append(job)
        }
        return shares
    }

    /// Folds every job's records into its task. Lead states go to each task's record cache; other outputs to
    /// `producer` (thread-safe), or to ``held``.
    func fold(now: Timestamp, context: FoldTask.Context, producer: TransactionalProducer) {
        for index in jobs.indices {
            let records = jobs[index].records
            do throws(FoldError) {
                for record in records {
                    // In place: the task stays uniquely referenced.
                    try jobs[index].task.fold(record, now: now, context: context, metrics: &metrics) {
                        output throws(FoldError) in
                        try send(output, to: producer)
                    }
                }
            } catch {
                failure = error
                return
            }
        }
    }

    /// Hands the tasks back (the share is empty afterwards).
    func takeTasks() -> [FoldTask] {
        defer { jobs.removeAll() }
        return jobs.map(\.task)
    }

    private func send(_ record: OutgoingRecord, to producer: TransactionalProducer) throws(FoldError) {
        if held != nil {
            held?.append(record)
            return
        }
        do {
            try producer.send(record)
        } catch {
            throw FoldError.kafka(error, "send to \(record.topic)")
        }
    }
}
