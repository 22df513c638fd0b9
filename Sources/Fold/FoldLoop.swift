import Kafka
import LeadModel
import Logging

/// The poll loop: each turn restores what was assigned, polls, folds what arrived, runs the settle timer and
/// commits when due. It drives the other parts and holds no transaction state of its own: that is
/// ``TransactionStateMachine``'s, behind ``SharedFoldState``'s lock.
///
/// An attendee event's path: ``step()`` polls it, `fold(_:now:)` hands its partition's task to a fold thread
/// (``FoldShare``), ``FoldTask/fold(_:now:context:metrics:outputs:)`` folds it and writes its commands to the
/// share's ``FoldOutputs``, which sends them to the producer (or holds them while the previous transaction commits;
/// the next transaction then sends them first, ``FoldTransactions/completeCommit()``).
///
/// Owned by ``FoldRuntime/run()`` and used by one task at a time.
final class FoldLoop {
    private let configuration: FoldConfiguration
    private let consumer: KafkaConsumer
    private let transactions: FoldTransactions
    private var restorer: FoldRestorer
    private var snapshots: SnapshotScheduler
    private let hook: RebalanceHookTarget
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    /// Each fold thread's metric handles (created once per label set, then reused).
    private var threadMetrics: [FoldMetrics]
    /// The lag gauges' handles.
    private var lagMetrics = FoldMetrics()
    private var lastSettleCheck = ContinuousClock.now
    private var lastLagReport = ContinuousClock.now

    init(
        configuration: FoldConfiguration,
        consumer: KafkaConsumer,
        transactions: FoldTransactions,
        restorer: FoldRestorer,
        snapshots: SnapshotScheduler,
        hook: RebalanceHookTarget,
        clock: @escaping @Sendable () -> Timestamp,
        logger: Logger
    ) {
        self.configuration = configuration
        self.consumer = consumer
        self.transactions = transactions
        self.restorer = restorer
        self.snapshots = snapshots
        self.hook = hook
        self.clock = clock
        self.logger = logger
        self.threadMetrics = Array(repeating: FoldMetrics(), count: max(1, configuration.foldThreads))
    }

    private var shared: SharedFoldState { transactions.shared }

    /// One turn: restore what was assigned, fold what arrived, run the timer, commit when due.
    ///
    /// A transaction that is due commits on librdkafka's threads while the loop polls and folds on (the outputs of
    /// what it folds meanwhile held back until the next transaction begins): the commit's flush and round trips
    /// overlap the fold's work. The loop waits for the commit only when it has ended, when partitions must be
    /// restored, or when it has folded a whole transaction's worth of records meanwhile.
    func step() async throws(FoldError) {
        if shared.withLock({ $0.transaction.mustAwaitCommit(restorePending: !$0.partitions.restoring.isEmpty) }) {
            try await transactions.completeCommit()
        }
        try await restorer.restorePending(shared)
        reportLagIfDue()
        let batch: ConsumerBatch
        do {
            let timeout = shared.withLock { $0.transaction.pollTimeout }
            batch = try await consumer.poll(maxRecords: configuration.maxPollRecords, timeout: timeout)
        } catch {
            throw FoldError.kafka(error, "poll the inputs")
        }
        let now = clock()
        let (isCommitting, isCommitDue) = shared.withLock {
            ($0.transaction.isCommitting, $0.transaction.isCommitDue(now: .now))
        }
        if isCommitting {
            try await fold(batch, now: now)  // held for the next transaction
            return  // the settle timer and idle checkpoints wait for the commit (a few milliseconds)
        }
        if isCommitDue {
            let partitionCount = shared.withLock { $0.partitions.tasks.count }
            if snapshots.isDue(partitionCount: partitionCount, now: .now) {
                // No overlap: the snapshot must hold only committed state.
                try await transactions.commit()
                writeSnapshotIfDue()
            } else {
                try transactions.startCommit()
                try await fold(batch, now: now)  // held for the next transaction
                return
            }
        }
        try await fold(batch, now: now)

        if ContinuousClock.now - lastSettleCheck >= configuration.settleCheckInterval {
            lastSettleCheck = .now
            let writes = try shared.withLock { state throws(FoldError) in
                try state.emitDueActivities(now: now, at: .now)
            }
            try transactions.write(writes)
        }
        if shared.withLock({ $0.transaction.areIdleCheckpointsDue(restatementsDue: $0.restatementsDue, now: .now) }) {
            // Idle since the last commit: write its checkpoints (and restatements) now rather than with the next
            // input.
            try transactions.beginIfIdle()
            try await transactions.commit()
        }
    }

    /// Folds a polled batch: into the open transaction (begun if none is), or, while the previous one commits,
    /// into the next, its outputs held. Partitions fold on up to ``FoldConfiguration/foldThreads`` threads at once;
    /// partitions not restored yet are skipped (they fold from their checkpoint once restored).
    private func fold(_ batch: ConsumerBatch, now: Timestamp) async throws(FoldError) {
        guard !batch.isEmpty else { return }
        // A partition's records come from up to three input topics: one job per partition, in poll order.
        var records: [Int32: [ConsumedRecord]] = [:]
        for partitionRecords in batch.partitions {
            records[partitionRecords.topicPartition.partition, default: []] += partitionRecords.records
        }
        let (tasks, route, context) = shared.withLock { state in
            let tasks = state.partitions.checkOut(records.keys.sorted())
            let route = tasks.isEmpty ? nil : state.transaction.routeForFold(now: .now)
            return (tasks, route, state.context)
        }
        guard let route else { return }
        let outputs: FoldOutputs
        switch route {
        case .send(let begin):
            do {
                try transactions.write(FoldState.Writes(begin: begin, records: []))
            } catch {
                shared.withLock { $0.partitions.checkIn(tasks) }
                throw error
            }
            outputs = .send(to: transactions.producer)
        case .hold:
            outputs = .hold
        }

        var jobs = tasks.map { FoldShare.Job(task: $0, records: records[$0.partition] ?? []) }
        let shares = FoldShare.split(&jobs, metrics: threadMetrics, outputs: outputs)
        if shares.count == 1 {
            shares[0].fold(now: now, context: context)
        } else {
            await withTaskGroup(of: Void.self) { group in
                for share in shares.dropFirst() {
                    group.addTask { share.fold(now: now, context: context) }
                }
                shares[0].fold(now: now, context: context)
            }
        }
        var folded = 0
        var held: [OutgoingRecord] = []
        var failure: FoldError?
        var foldedTasks: [FoldTask] = []
        for (index, share) in shares.enumerated() {
            let done = share.take()
            threadMetrics[index] = done.metrics
            folded += done.recordCount
            held += done.outputs.held
            failure = failure ?? done.failure
            foldedTasks += done.jobs.map(\.task)
        }
        shared.withLock {
            $0.partitions.checkIn(foldedTasks)
            $0.transaction.folded(inputRecords: folded, heldOutputs: held)
        }
        if let failure { throw failure }
        shared.status.withLock {
            if $0.firstInputAt == nil { $0.firstInputAt = .now }
            $0.inputRecords += folded
            $0.uncommittedInputRecords += folded
        }
    }

    /// After a commit, one partition's snapshot at a time, each partition once per snapshot interval.
    private func writeSnapshotIfDue() {
        let partitions = shared.withLock { Array($0.partitions.tasks.keys) }
        guard let partition = snapshots.takeDuePartition(among: partitions, now: .now) else { return }
        let delivered = transactions.producer.deliveredEndOffsets()
        let (tasks, restoredEnd) = shared.withLock {
            ($0.partitions.checkOut([partition]), $0.partitions.changelogPositions[partition] ?? 0)
        }
        for task in tasks {
            snapshots.files.write(task, restoredChangelogEnd: restoredEnd, delivered: delivered)
        }
        shared.withLock { $0.partitions.checkIn(tasks) }
    }

    /// `leadsync_consumer_lag` of the partitions this instance folds, at most once a second.
    private func reportLagIfDue() {
        guard ContinuousClock.now - lastLagReport >= .seconds(1) else { return }
        lastLagReport = .now
        let folded = shared.withLock { $0.partitions.active }
        let lag = (try? consumer.lag(configuration.topics.inputs(of: folded))) ?? [:]
        lagMetrics.lag(group: configuration.groupId, topics: configuration.topics.inputs, byPartition: lag)
    }

    /// Commits what is open and writes its checkpoints, then leaves the group (the final revoke writes snapshots).
    func stop() async throws(FoldError) {
        try await transactions.completeCommit()
        try await transactions.commit()
        if shared.withLock({ $0.transaction.owesCheckpoints }) {
            try transactions.beginIfIdle()
            try await transactions.commit()
        }
        do {
            try await consumer.close()
        } catch {
            logger.warning("leaving the group failed", metadata: ["error": "\(error)"])
        }
        hook.set(nil)
        logger.info("fold stopped", metadata: ["inputs": "\(shared.status.withLock { $0.inputRecords })"])
    }

    /// After a failure: abort what is open so its records never count, and let go of the hook.
    func abandon() async {
        await transactions.abandon()
        hook.set(nil)
    }
}
