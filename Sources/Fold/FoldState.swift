import Kafka
import LeadModel
import Synchronization

/// The fold's transaction life cycle: its commits carry a ``PreparedCommit``.
typealias FoldTransactionState = TransactionStateMachine<PreparedCommit>

/// What the poll loop and the rebalance hook share: the transaction life cycle, the tasks, the metrics.
///
/// Lives behind the one lock of ``SharedFoldState``. Its methods change it and return the records to write and the
/// actions to take; the caller executes them with Kafka once the lock is released (``FoldTransactions``), so no
/// Kafka call runs under the lock.
struct FoldState: Sendable {
    var transaction: FoldTransactionState
    var partitions = FoldPartitions()
    var metrics = FoldMetrics()
    /// What every fold needs apart from the token (the transaction's, taken from ``transaction``).
    private let baseContext: FoldTask.Context

    init(context: FoldTask.Context, transaction: FoldTransactionState) {
        self.baseContext = context
        self.transaction = transaction
    }

    /// The shared inputs of the tasks' folds, with the token of the transaction they fold into.
    var context: FoldTask.Context {
        var context = baseContext
        context.transactionToken = transaction.token
        return context
    }

    /// Records to write into a transaction, after beginning one if `begin` says so.
    struct Writes: Sendable {
        var begin: FoldTransactionState.Begin
        var records: [OutgoingRecord]
    }

    /// Whether a restore's output scan left member statuses to check (done at the first commit after it, also when
    /// no input comes: a crashed transaction may have left a status last that the lead no longer has).
    var restatementsDue: Bool {
        partitions.tasks.values.contains { $0.checkAllStatusSlots && !$0.statusSlots.isEmpty }
    }

    // MARK: - The settle timer

    /// The custom activities due at `now` of every restored task; begins a transaction if one is due.
    mutating func emitDueActivities(now: Timestamp, at instant: ContinuousClock.Instant) throws(FoldError) -> Writes {
        var writes = Writes(begin: .none, records: [])
        var outputs = FoldOutputs.hold
        var metrics = self.metrics
        defer { self.metrics = metrics }
        let context = self.context
        var began = false
        let restoring = partitions.restoring
        try partitions.updateEach { task throws(FoldError) in
            guard !restoring.contains(task.partition), let earliest = task.store.activityDue.earliest,
                earliest <= now.millisecondsSinceEpoch
            else { return }
            if !began {
                began = true
                writes.begin = transaction.beginIfIdle(now: instant)
            }
            try task.emitDueActivities(now: now, context: context, metrics: &metrics, outputs: &outputs)
        }
        writes.records = outputs.held
        return writes
    }

    // MARK: - Commits

    /// Prepares the open transaction's commit: restates the member statuses that need it, writes the record caches'
    /// lead states to the stores, and captures the input offsets and checkpoints the commit settles. Tasks are clean
    /// from here on unless they fold again, and their folds belong to the next transaction (`nextToken`).
    /// - Returns: the records to write before the commit starts (restatements, lead states), and the commit; `nil`
    ///   when no transaction is open.
    mutating func prepareCommit(
        groupMetadata: ConsumerGroupMetadata,
        nextToken: String
    ) throws(FoldError) -> (records: [OutgoingRecord], commit: PreparedCommit)? {
        guard transaction.isOpen else { return nil }
        // Every task must be here: a commit without one would commit its inputs without its work.
        precondition(partitions.checkedOut.isEmpty, "a commit was prepared while tasks were out being folded")
        var outputs = FoldOutputs.hold
        var metrics = self.metrics
        defer { self.metrics = metrics }
        let context = self.context
        var prepared = PreparedCommit(offsets: [], groupMetadata: groupMetadata)
        try partitions.updateEach { task throws(FoldError) in
            if !task.stateCache.isEmpty || !task.statusSlots.isEmpty {
                try task.restateStatusSlots(context: context, metrics: &metrics, outputs: &outputs)
                try task.flushStates(context: context, outputs: &outputs)
            }
            for (topic, offset) in task.nextInputOffsets {
                prepared.offsets.append(TopicPartitionOffset(topic: topic, partition: task.partition, offset: offset))
            }
            guard task.isDirty || !task.abandonedTokens.isEmpty else { return }
            prepared.checkpoints[task.partition] = FoldCheckpoint(
                token: context.transactionToken,
                abandoned: task.abandonedTokens,
                inputs: task.nextInputOffsets,
                outputs: [:],
                committedAt: 0
            )
            prepared.suppressedBounds[task.partition] = task.suppressedOutputBounds()
            task.isDirty = false
            task.abandonedTokens = []
        }
        guard let commit = transaction.commitPrepared(prepared, nextToken: nextToken) else { return nil }
        return (outputs.held, commit)
    }

    /// What the caller does once the commit in flight was settled.
    enum SettledCommit: Sendable {
        /// No commit has ended.
        case none
        /// It committed. `next`: the work folded meanwhile, to write into the next transaction (begun here), which
        /// holds `openInputRecords` input records.
        case committed(next: Writes?, openInputRecords: Int)
        /// It failed: abort (``abort(nextToken:)``), and restore every task.
        case failed(KafkaError)
    }

    /// Settles the commit in flight if it ended: completes and owes its checkpoints, then begins the next
    /// transaction with the work held meanwhile (unless `resumeHeldWork` is false: every task restores anyway).
    /// - Parameters:
    ///   - delivered: the producer's delivered end offsets, read after the commit ended.
    ///   - committedAt: wall-clock milliseconds, for operators.
    ///   - resumeHeldWork: whether the next transaction begins here with the work held meanwhile; `false` when
    ///     every task restores next, which folds that work again.
    ///   - now: the current monotonic time: the next commit interval and the next transaction start from it, and
    ///     the transaction's duration metric ends at it.
    mutating func settleCommit(
        delivered: [TopicPartition: Int64],
        committedAt: Int64,
        resumeHeldWork: Bool,
        now: ContinuousClock.Instant
    ) -> SettledCommit {
        switch transaction.settleCommit(now: now) {
        case .none:
            return .none
        case .failed(let error):
            return .failed(error)
        case .committed(let committed):
            transaction.owe(completeCheckpoints(committed.commit, delivered: delivered, committedAt: committedAt))
            metrics.transaction(result: "committed")
            metrics.transactionSeconds.record(duration: now - committed.began)
            metrics.leadsInState.record(partitions.leadCount)
            let held = committed.heldInputRecords
            guard resumeHeldWork, held > 0 || !committed.heldOutputs.isEmpty else {
                return .committed(next: nil, openInputRecords: 0)
            }
            let begin = transaction.beginIfIdle(now: now)
            transaction.folded(inputRecords: held, heldOutputs: [])
            return .committed(next: Writes(begin: begin, records: committed.heldOutputs), openInputRecords: held)
        }
    }

    /// A committed transaction's checkpoints with their output bounds: every record it wrote is delivered now, so
    /// the producer's delivered end offsets bound where later outputs land. The bounds never pass a suppressed
    /// output that the re-fold had not met when the commit was prepared (a fold overlapping the commit may have
    /// met some since).
    private mutating func completeCheckpoints(
        _ prepared: PreparedCommit,
        delivered: [TopicPartition: Int64],
        committedAt: Int64
    ) -> [Int32: FoldCheckpoint] {
        let outputTopics = baseContext.topics.commands.values.sorted() + [baseContext.topics.deadLetter]
        var completed: [Int32: FoldCheckpoint] = [:]
        for (partition, pending) in prepared.checkpoints {
            completed[partition] = partitions.update(partition) { task in
                for topic in outputTopics {
                    if let end = delivered[TopicPartition(topic: topic, partition: partition)] {
                        task.outputLowerBounds[topic] = max(task.outputLowerBounds[topic] ?? 0, end)
                    }
                }
                var checkpoint = pending
                checkpoint.outputs = FoldTask.outputBounds(
                    task.outputLowerBounds,
                    notPast: prepared.suppressedBounds[partition] ?? [:]
                )
                checkpoint.committedAt = committedAt
                task.store.checkpoint = checkpoint
                return checkpoint
            }
        }
        return completed
    }

    // MARK: - Aborts

    /// Drops the open (or failed) transaction and what is owed; the next transaction's state records carry
    /// `nextToken`. The tasks' memory holds the aborted work: the caller sends them to restore
    /// (``FoldPartitions/restoreAll()``), which re-folds it from the last checkpoint and finds its outputs.
    /// - Returns: whether the producer's transaction must be aborted.
    mutating func abort(nextToken: String) -> FoldTransactionState.Abort {
        let abort = transaction.abort(nextToken: nextToken)
        if case .abortTransaction = abort { metrics.transaction(result: "aborted") }
        return abort
    }
}

/// The fold's shared state behind its one lock, taken by the poll loop and by the rebalance hook (on the
/// consumer's thread), and by a commit's completion (on the producer's): thread safety rests on the lock, not on
/// when librdkafka calls the hook.
///
/// Never wait for Kafka while holding it: a commit's completion takes it to record the outcome.
final class SharedFoldState: Sendable {
    private let state: Mutex<FoldState>
    /// What the fold publishes for `/readyz` and progress displays.
    let status: FoldStatusBox

    init(_ state: FoldState, status: FoldStatusBox) {
        self.state = Mutex(state)
        self.status = status
    }

    /// Runs `body` with the state locked.
    func withLock<T: Sendable, E: Error>(_ body: (inout FoldState) throws(E) -> T) throws(E) -> T {
        try state.withLock { (state: inout FoldState) throws(E) -> T in try body(&state) }
    }

    /// Publishes which partitions fold and which restore (after restores and rebalances).
    func publishStatus() {
        let (active, restoring) = withLock { state in
            let active = state.partitions.active
            let restoring = state.partitions.restoring.sorted()
            state.metrics.assignedPartitions.record(active.count + restoring.count)
            // Right after a restore or a revoke too, not only at the next commit.
            state.metrics.leadsInState.record(state.partitions.leadCount)
            return (active, restoring)
        }
        status.withLock {
            $0.activePartitions = active
            $0.restoringPartitions = restoring
        }
    }
}

/// A transaction on its way to commit: what its checkpoints will say, and what it sends to the coordinator.
struct PreparedCommit: Sendable {
    /// Per task that changed: its checkpoint, except the output bounds, known once the records are delivered.
    var checkpoints: [Int32: FoldCheckpoint] = [:]
    /// Per task: the earliest offset of each output topic's suppressed outputs not met yet by the re-fold.
    var suppressedBounds: [Int32: [String: Int64]] = [:]
    /// The input offsets sent to the transaction (real Kafka stores them; the mock does not).
    var offsets: [TopicPartitionOffset]
    var groupMetadata: ConsumerGroupMetadata
}
