import Kafka
import LeadModel

/// A part of one polled batch that one fold thread folds: some partitions' tasks with their records, and where
/// their outputs go.
///
/// Partitions are independent (a lead belongs to one), so the shares of a batch fold on several threads at once.
/// A share is a reference so that its tasks are never copied on the way to a thread and back: a copy of a task
/// would make its store copy every lead on the next change.
///
/// `@unchecked Sendable`: a share is used by one thread at a time, and by the loop only before the threads start
/// and after they all finished (the task group's completion orders those accesses).
final class FoldShare: @unchecked Sendable {
    struct Job {
        var task: FoldTask
        var records: [ConsumedRecord]
    }

    private(set) var jobs: [Job] = []
    /// Input records in the share: what balancing counts.
    private(set) var recordCount = 0
    /// Where this share's outputs go: sent to the open transaction, or held while the previous one commits.
    private(set) var outputs: FoldOutputs
    /// The first failure: the share stops there, and the loop rethrows it once every task is back.
    private(set) var failure: FoldError?
    /// The thread's metric handles (created once per label set, then reused).
    private(set) var metrics: FoldMetrics

    private init(outputs: FoldOutputs, metrics: FoldMetrics) {
        self.outputs = outputs
        self.metrics = metrics
    }

    /// Moves the jobs into at most `metrics.count` shares of about equal record counts (largest job first, each to
    /// the lightest share), each writing to its own copy of `outputs`; `jobs` is left empty, so that every task has
    /// one owner.
    static func split(_ jobs: inout [Job], metrics: [FoldMetrics], outputs: FoldOutputs) -> [FoldShare] {
        let count = max(1, min(metrics.count, jobs.count))
        let shares = (0..<count).map { FoldShare(outputs: outputs, metrics: metrics[$0]) }
        jobs.sort { $0.records.count < $1.records.count }
        while let job = jobs.popLast() {
            let lightest = shares.min { $0.recordCount < $1.recordCount } ?? shares[0]
            lightest.recordCount += job.records.count
            lightest.jobs.append(job)
        }
        return shares
    }

    /// Folds every job's records into its task, in poll order. Lead states go to each task's record cache, every
    /// other output to ``outputs``.
    func fold(now: Timestamp, context: FoldTask.Context) {
        for index in jobs.indices {
            let records = jobs[index].records
            do throws(FoldError) {
                for record in records {
                    // In place: the task stays uniquely referenced.
                    try jobs[index].task.fold(record, now: now, context: context, metrics: &metrics, outputs: &outputs)
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
}
