import Kafka
import LeadModel
import Synchronization

/// A part of one polled batch that one fold thread folds: some partitions' tasks with their records, and where
/// their outputs go.
///
/// Partitions are independent (a lead belongs to one), so the shares of a batch fold on several threads at once.
/// A share is a reference to a value behind a lock so that its tasks are never copied on the way to a thread and
/// back (a copy of a task would make its store copy every lead on the next change), and so that the compiler checks
/// who touches it: the fold thread holds the lock for the whole fold, uncontended; the loop takes it before the
/// threads start and after they all finished.
final class FoldShare: Sendable {
    struct Job: Sendable {
        var task: FoldTask
        var records: [ConsumedRecord]
    }

    /// What a share holds and what its fold leaves behind.
    struct Contents: Sendable {
        var jobs: [Job] = []
        /// Input records in the share: what balancing counts.
        var recordCount = 0
        /// Where this share's outputs go: sent to the open transaction, or held while the previous one commits.
        var outputs: FoldOutputs
        /// The first failure: the share stops there, and the loop rethrows it once every task is back.
        var failure: FoldError?
        /// The thread's metric handles (created once per label set, then reused).
        var metrics: FoldMetrics
    }

    private let contents: Mutex<Contents>

    private init(_ contents: consuming Contents) {
        self.contents = Mutex(contents)
    }

    /// Moves the jobs into at most `metrics.count` shares of about equal record counts (largest job first, each to
    /// the lightest share), each writing to its own copy of `outputs`; `jobs` is left empty, so that every task has
    /// one owner.
    static func split(_ jobs: inout [Job], metrics: [FoldMetrics], outputs: FoldOutputs) -> [FoldShare] {
        let count = max(1, min(metrics.count, jobs.count))
        var contents = (0..<count).map { Contents(outputs: outputs, metrics: metrics[$0]) }
        jobs.sort { $0.records.count < $1.records.count }
        while let job = jobs.popLast() {
            let lightest = contents.indices.min { contents[$0].recordCount < contents[$1].recordCount } ?? 0
            contents[lightest].recordCount += job.records.count
            contents[lightest].jobs.append(job)
        }
        var shares: [FoldShare] = []
        while let share = contents.popLast() { shares.append(FoldShare(share)) }
        return shares.reversed()
    }

    /// Folds every job's records into its task, in poll order. Lead states go to each task's record cache, every
    /// other output to the share's ``FoldOutputs``.
    func fold(now: Timestamp, context: FoldTask.Context) {
        contents.withLock { share in
            for index in share.jobs.indices {
                let records = share.jobs[index].records
                do throws(FoldError) {
                    for record in records {
                        // In place: the task stays uniquely referenced.
                        try share.jobs[index].task.fold(
                            record,
                            now: now,
                            context: context,
                            metrics: &share.metrics,
                            outputs: &share.outputs
                        )
                    }
                } catch {
                    share.failure = error
                    return
                }
            }
        }
    }

    /// Empties the share: its tasks, records, metric handles, held outputs and failure go to the caller.
    func take() -> Contents {
        contents.withLock { share in
            defer { share.jobs.removeAll() }
            return share
        }
    }
}
