import Basics
import Foundation
public import Kafka
public import LeadModel
public import Logging
public import ServiceLifecycle
import Synchronization

/// The fold role: consumes both input topics (and the repartition topic) as one consumer group, folds each lead's
/// events into its state, and writes changelog records, commands and dead letters in Kafka transactions with the
/// consumed offsets.
///
/// A ``Service``: `run()` folds until graceful shutdown or cancellation, then commits the open transaction,
/// writes state snapshots and leaves the group. Exactly-once on the mock cluster too: see docs/exactly-once.md.
public final class FoldRuntime: Service, Sendable {
    private let configuration: FoldConfiguration
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let statusBox = FoldStatusBox()

    /// - Parameter clock: wall-clock time for the settle timer (tests may pass their own).
    public init(
        configuration: FoldConfiguration,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = FoldRuntime.wallClock
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// The current time in milliseconds since the epoch.
    public static let wallClock: @Sendable () -> Timestamp = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(millisecondsSinceEpoch: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    /// What the fold is doing now (for `/readyz` and progress displays).
    public var status: FoldStatus { statusBox.withLock { $0 } }

    /// Folds until graceful shutdown or cancellation.
    /// - Throws: ``FoldError`` for what the fold cannot recover from by itself (a fatal Kafka error such as being
    ///   fenced by another instance with the same transactional id, mismatched topic partition counts, corrupt
    ///   state). The process should exit and be restarted; the next owner of its partitions restores them.
    public func run() async throws {
        let engine = try await FoldEngine.start(
            configuration: configuration,
            logger: logger,
            clock: clock,
            statusBox: statusBox
        )
        let stopping = Atomic(false)
        do {
            try await withGracefulShutdownHandler {
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    try await engine.step()
                }
            } onGracefulShutdown: {
                stopping.store(true, ordering: .relaxed)
            }
            try await engine.stop()
        } catch {
            await engine.abandon()
            throw error
        }
    }
}

/// A snapshot of what the fold is doing.
public struct FoldStatus: Sendable, Hashable {
    /// Partition numbers whose state is restored and which are being folded.
    public var activePartitions: [Int32] = []
    /// Partition numbers assigned and still restoring.
    public var restoringPartitions: [Int32] = []
    /// Input records folded (or dead-lettered, or re-keyed) since start.
    public var inputRecords = 0
    /// Transactions committed since start.
    public var committedTransactions = 0
    /// Input records folded in the open transaction (0 when everything folded so far is committed).
    public var uncommittedInputRecords = 0
    /// Changelog records read by restores since start.
    public var restoredRecords = 0
    /// Seconds spent restoring partitions since start.
    public var restoreSeconds = 0.0
    /// When the first input record was folded.
    public var firstInputAt: ContinuousClock.Instant?
    /// When the last transaction committed.
    public var lastCommitAt: ContinuousClock.Instant?
    /// Whether the fold is a group member with every assigned partition restored.
    public var isReady: Bool { restoringPartitions.isEmpty && !activePartitions.isEmpty }
}

// MARK: - FoldEngine

/// The fold loop's state: tasks, the open transaction, pending restores.
///
/// `@unchecked Sendable`: confined to the loop of ``FoldRuntime/run()``. The only other caller is the consumer's
/// rebalance hook, which runs inside `consumer.poll` while the loop is suspended awaiting that poll, so the two
/// never touch this state at the same time.
final class FoldEngine: @unchecked Sendable {
    private let configuration: FoldConfiguration
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let statusBox: FoldStatusBox
    private let consumer: KafkaConsumer
    private let producer: TransactionalProducer
    private let reader: PartitionReader
    private let hookTarget: RebalanceHookTarget

    private var context: FoldTask.Context
    private var tasks: [Int32: FoldTask] = [:]
    private var pendingRestore: Set<Int32> = []
    private var metrics = FoldMetrics()

    private var isTransactionOpen = false
    private var transactionStarted = ContinuousClock.now
    private var recordsInTransaction = 0
    private var lastSettleCheck = ContinuousClock.now
    private var lastSnapshot = ContinuousClock.now
    private var lastLagReport = ContinuousClock.now
    private var snapshotCursor = 0
    private var changelogPositions: [Int32: Int64] = [:]
    /// The last committed transaction's checkpoints, per partition: the first records of the next transaction.
    private var owedCheckpoints: [Int32: FoldCheckpoint] = [:]
    /// Each fold worker's metric handles.
    private var workerMetrics: [FoldMetrics]
    private var lastCommit = ContinuousClock.now
    /// The transaction committing on librdkafka's threads while the engine folds on, if any.
    private var commitInFlight: CommitInFlight?
    /// Outputs of the records folded while ``commitInFlight`` runs: sent once the next transaction begins.
    private var heldOutputs: [OutgoingRecord] = []
    /// Input records folded while ``commitInFlight`` runs.
    private var heldInputRecords = 0

    private init(
        configuration: FoldConfiguration,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp,
        statusBox: FoldStatusBox,
        consumer: KafkaConsumer,
        producer: TransactionalProducer,
        reader: PartitionReader,
        hookTarget: RebalanceHookTarget,
        partitionCount: Int
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.statusBox = statusBox
        self.consumer = consumer
        self.producer = producer
        self.reader = reader
        self.hookTarget = hookTarget
        self.workerMetrics = Array(repeating: FoldMetrics(), count: max(1, configuration.foldThreads))
        self.context = FoldTask.Context(
            tenants: configuration.tenants,
            topics: configuration.topics,
            partitionCount: partitionCount,
            transactionToken: FoldEngine.newToken()
        )
    }

    static func start(
        configuration: FoldConfiguration,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp,
        statusBox: FoldStatusBox
    ) async throws(FoldError) -> FoldEngine {
        let partitionCount = try await checkTopicLayout(configuration, logger: logger)
        let hookTarget = RebalanceHookTarget()
        do {
            let producer = try TransactionalProducer(
                configuration: KafkaProducerConfiguration(
                    client: configuration.client,
                    lingerMilliseconds: 5,
                    compression: configuration.outputCompression,
                    // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
                    messageTimeoutMilliseconds: Int(configuration.transactionTimeout.milliseconds),
                    transactionTimeoutMilliseconds: Int(configuration.transactionTimeout.milliseconds)
                ),
                transactionalId: configuration.transactionalId,
                logger: logger
            )
            try await producer.initTransactions()
            try await producer.prepareTopics(configuration.topics.outputs)
            let consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    client: configuration.client,
                    groupId: configuration.groupId,
                    // Range keeps partition p of every input topic on one member: one task owns all of a lead.
                    assignmentStrategy: .range,
                    offsetReset: .earliest,
                    isolationLevel: .readCommitted,
                    sessionTimeoutMilliseconds: Int(configuration.sessionTimeout.milliseconds),
                    fetchWaitMaxMilliseconds: Int(configuration.fetchWaitMax.milliseconds)
                ),
                logger: logger,
                onRebalance: { event in hookTarget.engine?.rebalanced(event) }
            )
            let reader = try PartitionReader(
                client: configuration.client,
                label: "\(configuration.groupId)-restore",
                logger: logger
            )
            let engine = FoldEngine(
                configuration: configuration,
                logger: logger,
                clock: clock,
                statusBox: statusBox,
                consumer: consumer,
                producer: producer,
                reader: reader,
                hookTarget: hookTarget,
                partitionCount: partitionCount
            )
            hookTarget.engine = engine
            try consumer.subscribe(configuration.topics.inputs)
            logger.info(
                "fold started",
                metadata: [
                    "group": "\(configuration.groupId)", "transactional.id": "\(configuration.transactionalId)",
                    "partitions": "\(partitionCount)",
                ]
            )
            return engine
        } catch let error as KafkaError {
            throw FoldError.kafka(error, "start the fold")
        } catch {
            throw FoldError(kind: .kafka, message: "start the fold: \(error)")
        }
    }

    /// Every topic the fold touches must exist with one partition count (partition p of each is task p's).
    private static func checkTopicLayout(
        _ configuration: FoldConfiguration,
        logger: Logger
    ) async throws(FoldError) -> Int {
        let topics = configuration.topics
        let names =
            topics.inputs + [topics.changelog, topics.deadLetter] + topics.commands.values.sorted()
        let descriptions: [TopicDescription]
        do {
            let admin = try KafkaAdmin(configuration: configuration.client, logger: logger)
            descriptions = try await admin.describeTopics(names)
        } catch {
            throw FoldError.kafka(error, "describe the fold's topics")
        }
        let counts = Dictionary(uniqueKeysWithValues: descriptions.map { ($0.name, $0.partitionCount) })
        let missing = names.filter { counts[$0] == nil }
        guard missing.isEmpty else {
            throw FoldError(
                kind: .topicLayout,
                message: "missing topics \(missing.joined(separator: ", ")): run `leadsync topics apply`"
            )
        }
        let distinct = Set(counts.values)
        guard distinct.count == 1, let count = distinct.first else {
            let layout = names.map { "\($0)=\(counts[$0] ?? 0)" }.joined(separator: ", ")
            throw FoldError(
                kind: .topicLayout,
                message: "the fold's topics must have one partition count (partition p of each belongs to one task): "
                    + layout
            )
        }
        return count
    }

    // MARK: - The loop

    /// One turn: restore what was assigned, fold what arrived, run the timer, commit when due.
    ///
    /// A transaction that is due commits on librdkafka's threads while the engine polls and folds on (the outputs
    /// of what it folds meanwhile held back until the next transaction begins): the commit's flush and round trips
    /// overlap the fold's work. The engine waits for the commit only when it finishes, when partitions must be
    /// restored, or when it has folded a whole transaction's worth of records meanwhile.
    func step() async throws(FoldError) {
        if let inFlight = commitInFlight,
            inFlight.isFinished || !pendingRestore.isEmpty || heldInputRecords >= configuration.commitMaxRecords
        {
            try await completeCommitInFlight()
        }
        if !pendingRestore.isEmpty { try await restorePending() }
        reportLagIfDue()
        // While a commit runs, a short poll: the commit's end, not the next record, is what the loop waits for.
        let wait = commitInFlight == nil ? min(configuration.commitInterval, .milliseconds(100)) : .milliseconds(5)
        let batch: ConsumerBatch
        do {
            batch = try await consumer.poll(maxRecords: configuration.maxPollRecords, timeout: wait)
        } catch {
            throw FoldError.kafka(error, "poll the inputs")
        }
        let now = clock()
        if commitInFlight != nil {
            try await foldHeld(batch, now: now)
            return  // the settle timer and idle checkpoints wait for the commit (a few milliseconds)
        }
        let commitDue =
            isTransactionOpen
            && (recordsInTransaction >= configuration.commitMaxRecords
                || ContinuousClock.now - transactionStarted >= configuration.commitInterval)
        if commitDue && !isSnapshotDue {
            try startCommit()
            try await foldHeld(batch, now: now)
            return
        } else {
            if commitDue {
                try await commit()
                writeSnapshotIfDue()
            }
            recordsInTransaction += try await fold(batch, now: now, holding: false).folded
        }

        if ContinuousClock.now - lastSettleCheck >= configuration.settleCheckInterval {
            lastSettleCheck = .now
            try emitDueActivities(now: now)
        }
        // After a restore, the member statuses the output scan found are checked at the first commit, also when no
        // input comes: a crashed transaction may have left a status last that the lead no longer has.
        let restatementsDue = tasks.values.contains { $0.checkAllStatusSlots && !$0.statusSlots.isEmpty }
        if !isTransactionOpen && (!owedCheckpoints.isEmpty || restatementsDue)
            && ContinuousClock.now - lastCommit >= configuration.commitInterval
        {
            // Idle since the last commit: write its checkpoints now rather than with the next input.
            try beginTransactionIfNeeded()
            try await commit()
        }
    }

    /// Folds a polled batch into the open transaction, or with `holding`, while the previous one commits, into
    /// the next: its outputs other than lead states are then returned instead of sent. Partitions fold on up to
    /// ``FoldConfiguration/foldThreads`` threads at once.
    private func fold(
        _ batch: ConsumerBatch,
        now: Timestamp,
        holding: Bool
    ) async throws(FoldError) -> (folded: Int, held: [OutgoingRecord]) {
        // A partition revoked or awaiting restore inside this poll: its records are folded after restore.
        let active = batch.partitions.filter {
            !pendingRestore.contains($0.topicPartition.partition) && tasks[$0.topicPartition.partition] != nil
        }
        guard !active.isEmpty else { return (0, []) }
        if !holding { try beginTransactionIfNeeded() }
        var jobs: [FoldShare.Job] = []
        var jobIndex: [Int32: Int] = [:]
        for records in active {
            let partition = records.topicPartition.partition
            if let index = jobIndex[partition] {
                jobs[index].records += records.records
            } else if let task = tasks.removeValue(forKey: partition) {
                // Out of the dictionary while it folds: a copy left there would make its store copy every lead.
                jobIndex[partition] = jobs.count
                jobs.append(FoldShare.Job(task: task, records: records.records))
            }
        }
        let shares = FoldShare.split(&jobs, metrics: workerMetrics, holding: holding)
        let context = self.context
        let producer = self.producer
        if shares.count == 1 {
            shares[0].fold(now: now, context: context, producer: producer)
        } else {
            await withTaskGroup(of: Void.self) { group in
                for share in shares.dropFirst() {
                    group.addTask { share.fold(now: now, context: context, producer: producer) }
                }
                shares[0].fold(now: now, context: context, producer: producer)
            }
        }
        var folded = 0
        var held: [OutgoingRecord] = []
        var failure: FoldError?
        for (index, share) in shares.enumerated() {
            workerMetrics[index] = share.metrics
            folded += share.recordCount
            held += share.held ?? []
            failure = failure ?? share.failure
            for task in share.takeTasks() { tasks[task.partition] = task }
        }
        if let failure { throw failure }
        statusBox.withLock {
            if $0.firstInputAt == nil { $0.firstInputAt = .now }
            $0.inputRecords += folded
            $0.uncommittedInputRecords += folded
        }
        return (folded, held)
    }

    /// Folds a batch while a commit is in flight: its outputs are held for the next transaction.
    private func foldHeld(_ batch: ConsumerBatch, now: Timestamp) async throws(FoldError) {
        guard !batch.isEmpty else { return }
        let (folded, held) = try await fold(batch, now: now, holding: true)
        heldInputRecords += folded
        heldOutputs += held
    }

    /// Commits what is open and writes its checkpoints, then leaves the group (the final revoke writes snapshots).
    func stop() async throws(FoldError) {
        try await completeCommitInFlight()
        if isTransactionOpen { try await commit() }
        if !owedCheckpoints.isEmpty {
            try beginTransactionIfNeeded()
            try await commit()
        }
        do {
            try await consumer.close()
        } catch {
            logger.warning("leaving the group failed", metadata: ["error": "\(error)"])
        }
        hookTarget.engine = nil
        logger.info("fold stopped", metadata: ["inputs": "\(statusBox.withLock { $0.inputRecords })"])
    }

    /// After a failure: abort what is open so its records never count, and let go of the hook.
    func abandon() async {
        if let inFlight = commitInFlight {
            commitInFlight = nil
            if case .success = await inFlight.result() { isTransactionOpen = false }
        }
        if isTransactionOpen { try? await producer.abortTransaction() }
        hookTarget.engine = nil
    }

    private func emitDueActivities(now: Timestamp) throws(FoldError) {
        for partition in tasks.keys.sorted() where !pendingRestore.contains(partition) {
            guard let earliest = tasks[partition]?.store.activityDue.earliest, earliest <= now.millisecondsSinceEpoch,
                var task = tasks.removeValue(forKey: partition)
            else { continue }
            defer { tasks[partition] = task }  // out of the dictionary while it changes (see `fold(_:now:)`)
            try beginTransactionIfNeeded()
            try task.emitDueActivities(now: now, context: context, metrics: &metrics, emit: send)
        }
    }

    // MARK: - Transactions
    //
    // A transaction's checkpoints vouch for every record it wrote (docs/exactly-once.md). They are written first
    // in the *next* transaction, once this one committed: by then all its records are on the broker, so on a
    // broker that shows uncommitted records a checkpoint can never land ahead of a record it vouches for, and the
    // commit costs one flush, as in a plain consume-transform-produce loop.

    private static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36) + String(generator.next() as UInt64, radix: 36)
    }

    /// Begins a transaction if none is open; its first records are the last committed transaction's checkpoints.
    private func beginTransactionIfNeeded() throws(FoldError) {
        guard !isTransactionOpen else { return }
        do {
            try producer.beginTransaction()
        } catch {
            throw FoldError.kafka(error, "begin a transaction")
        }
        isTransactionOpen = true
        transactionStarted = .now
        recordsInTransaction = 0
        let owed = owedCheckpoints
        owedCheckpoints.removeAll()
        for (partition, checkpoint) in owed.sorted(by: { $0.key < $1.key }) {
            try produce(
                OutgoingRecord(
                    topic: configuration.topics.changelog,
                    partition: partition,
                    key: FoldCheckpoint.key,
                    value: checkpoint.encoded()
                )
            )
        }
    }

    private func send(_ record: OutgoingRecord) throws(FoldError) {
        try produce(record)
    }

    private func produce(_ record: OutgoingRecord) throws(FoldError) {
        do {
            try producer.send(record)
        } catch {
            throw FoldError.kafka(error, "send to \(record.topic)")
        }
    }

    /// The open transaction's lead states, each lead's last (the tasks' record caches): written to the stores and
    /// sent at commit.
    /// First, after a restore, the member statuses whose last command on the topic is not the fold's status are
    /// restated (``FoldTask/restateStatusSlots``).
    private func sendPendingStates() throws(FoldError) {
        for partition in tasks.keys.sorted() {
            guard let pending = tasks[partition], !pending.stateCache.isEmpty || !pending.statusSlots.isEmpty,
                var task = tasks.removeValue(forKey: partition)
            else { continue }
            defer { tasks[partition] = task }  // out of the dictionary while it changes (see `fold(_:now:)`)
            try task.restateStatusSlots(context: context, metrics: &metrics, emit: produce)
            try task.flushStates(context: context, emit: produce)
        }
    }

    /// Every task's next input offsets, committed with the transaction (real Kafka stores them; the mock does not).
    private func inputOffsets() -> [TopicPartitionOffset] {
        tasks.keys.sorted().flatMap { partition in
            (tasks[partition]?.nextInputOffsets ?? [:]).map { topic, offset in
                TopicPartitionOffset(topic: topic, partition: partition, offset: offset)
            }
        }
    }

    /// A transaction on its way to commit: what its checkpoints will say, and what it sends to the coordinator.
    fileprivate struct PreparedCommit: Sendable {
        /// Per task that changed: its checkpoint, except the output bounds, known once the records are delivered.
        var checkpoints: [Int32: FoldCheckpoint] = [:]
        /// Per task: the earliest offset of each output topic's suppressed outputs not met yet by the re-fold.
        var suppressedBounds: [Int32: [String: Int64]] = [:]
        var offsets: [TopicPartitionOffset]
        var groupMetadata: ConsumerGroupMetadata
    }

    /// Sends the open transaction's lead states and captures everything its commit needs, so that records folded
    /// while it commits belong to the next transaction. Tasks are clean from here on unless they fold again.
    private func prepareCommit() throws(FoldError) -> PreparedCommit {
        let groupMetadata: ConsumerGroupMetadata
        do {
            groupMetadata = try consumer.groupMetadata()
        } catch {
            throw FoldError.kafka(error, "read the group's metadata")
        }
        try sendPendingStates()
        var prepared = PreparedCommit(offsets: inputOffsets(), groupMetadata: groupMetadata)
        for partition in tasks.keys.sorted() {
            guard var task = tasks[partition], task.isDirty || !task.abandonedTokens.isEmpty else { continue }
            prepared.checkpoints[partition] = FoldCheckpoint(
                token: context.transactionToken,
                abandoned: task.abandonedTokens,
                inputs: task.nextInputOffsets,
                outputs: [:],
                committedAt: 0
            )
            prepared.suppressedBounds[partition] = task.suppressedOutputBounds()
            task.isDirty = false
            task.abandonedTokens = []
            tasks[partition] = task
        }
        // Lead states folded from here on belong to the next transaction, even those folded while this one
        // commits: they must never carry this transaction's token, which its checkpoint vouches for.
        context.transactionToken = Self.newToken()
        return prepared
    }

    /// Commits the open transaction.
    private func commit() async throws(FoldError) {
        let prepared = try prepareCommit()
        switch await Self.commitTransaction(producer, offsets: prepared.offsets, groupMetadata: prepared.groupMetadata) {
        case .success: finishCommit(prepared, stillUncommitted: 0)
        case .failure(let error): try await recoverFromFailedTransaction(error)
        }
    }

    /// Prepares the open transaction's commit and starts it on librdkafka's threads; what is folded until it
    /// completes belongs to the next transaction.
    private func startCommit() throws(FoldError) {
        commitInFlight = CommitInFlight(prepared: try prepareCommit(), producer: producer)
    }

    /// Waits for the commit in flight and settles it: the next transaction begins with the held outputs, or after
    /// a failure every task restores.
    private func completeCommitInFlight() async throws(FoldError) {
        guard let inFlight = commitInFlight else { return }
        let result = await inFlight.result()
        if let failure = try settleCommitInFlight(inFlight, result: result) {
            try await recoverFromFailedTransaction(failure)
        }
    }

    /// ``completeCommitInFlight()`` on the calling thread (a rebalance hook's); a failure is thrown, with the
    /// failed transaction still open for the caller to abort.
    private func completeCommitInFlightNow() throws(FoldError) {
        guard let inFlight = commitInFlight else { return }
        let result = inFlight.resultNow()
        if let failure = try settleCommitInFlight(inFlight, result: result) {
            throw FoldError.kafka(failure, "commit a transaction")
        }
    }

    /// After the commit in flight ended: on success, the next transaction begins with the held outputs; on failure
    /// the held work is dropped (every task restores) and the error returned.
    private func settleCommitInFlight(
        _ inFlight: CommitInFlight,
        result: Result<Void, KafkaError>
    ) throws(FoldError) -> KafkaError? {
        commitInFlight = nil
        let held = heldOutputs
        let heldInputs = heldInputRecords
        heldOutputs = []
        heldInputRecords = 0
        switch result {
        case .success:
            finishCommit(inFlight.prepared, stillUncommitted: heldInputs)
            guard heldInputs > 0 || !held.isEmpty else { return nil }
            try beginTransactionIfNeeded()
            recordsInTransaction = heldInputs
            for record in held { try produce(record) }
            return nil
        case .failure(let error):
            return error
        }
    }

    /// Sends the offsets and commits, retrying retriable commit errors; on librdkafka's threads only, so it may run
    /// while the engine folds.
    fileprivate static func commitTransaction(
        _ producer: TransactionalProducer,
        offsets: [TopicPartitionOffset],
        groupMetadata: ConsumerGroupMetadata
    ) async -> Result<Void, KafkaError> {
        do throws(KafkaError) {
            try await producer.sendOffsets(offsets, groupMetadata: groupMetadata)
            var attempts = 0
            while true {
                do {
                    try await producer.commitTransaction()
                    return .success(())
                } catch where error.isRetriable && attempts < 5 {
                    attempts += 1
                }
            }
        } catch {
            return .failure(error)
        }
    }

    /// What a committed transaction settles: its checkpoints are complete and owed to the next transaction;
    /// figures.
    private func finishCommit(_ prepared: PreparedCommit, stillUncommitted: Int) {
        let delivered = producer.deliveredEndOffsets()
        let outputTopics = configuration.topics.commands.values.sorted() + [configuration.topics.deadLetter]
        let committedAt = clock().millisecondsSinceEpoch
        for (partition, pending) in prepared.checkpoints {
            guard var task = tasks[partition] else { continue }
            for topic in outputTopics {
                if let end = delivered[TopicPartition(topic: topic, partition: partition)] {
                    task.outputLowerBounds[topic] = max(task.outputLowerBounds[topic] ?? 0, end)
                }
            }
            var checkpoint = pending
            // The suppressed outputs as they stood at the commit: a fold overlapping it may have met some since.
            checkpoint.outputs = FoldTask.outputBounds(
                task.outputLowerBounds,
                notPast: prepared.suppressedBounds[partition] ?? [:]
            )
            checkpoint.committedAt = committedAt
            task.store.checkpoint = checkpoint
            tasks[partition] = task
            owedCheckpoints[partition] = checkpoint
        }
        isTransactionOpen = false
        lastCommit = .now
        metrics.transaction(result: "committed")
        metrics.transactionSeconds.record(duration: ContinuousClock.now - transactionStarted)
        metrics.leadsInState.record(tasks.values.reduce(0) { $0 + $1.store.count })
        statusBox.withLock {
            $0.committedTransactions += 1
            $0.uncommittedInputRecords = stillUncommitted
            $0.lastCommitAt = .now
        }
    }

    /// An abortable error: abort, then restore every task (their in-memory state holds the aborted work).
    private func recoverFromFailedTransaction(_ error: KafkaError) async throws(FoldError) {
        guard error.requiresAbort, !error.isFatal else { throw FoldError.kafka(error, "commit a transaction") }
        logger.warning("transaction aborted; restoring partitions", metadata: ["error": "\(error)"])
        do {
            try await producer.abortTransaction()
        } catch {
            throw FoldError.kafka(error, "abort a transaction")
        }
        transactionAborted()
        requeueAllTasksForRestore()
    }

    /// The open transaction is gone: nothing of it counts, and the next one gets a new token.
    private func transactionAborted() {
        isTransactionOpen = false
        for partition in Array(tasks.keys) { tasks[partition]?.dropCachedStates() }
        context.transactionToken = Self.newToken()
        metrics.transaction(result: "aborted")
        statusBox.withLock { $0.uncommittedInputRecords = 0 }
    }

    /// Every task restores from the log; checkpoints not yet written are dropped with them (the restore re-folds
    /// their transaction, and finds its outputs in the scan).
    private func requeueAllTasksForRestore() {
        let partitions = Array(tasks.keys)
        try? consumer.pause(inputPartitions(partitions))
        pendingRestore.formUnion(partitions)
        tasks.removeAll()
        owedCheckpoints.removeAll()
        publishStatus()
    }

    // MARK: - Rebalances (inside poll, on the consumer's thread)

    fileprivate func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            let numbers = Set(partitions.map(\.partition))
            // Nothing is handed out for these until their state is restored and their inputs positioned.
            do {
                try consumer.pause(partitions)
            } catch {
                logger.error("pausing assigned partitions failed", metadata: ["error": "\(error)"])
            }
            pendingRestore.formUnion(numbers)
            logger.info("partitions assigned", metadata: ["partitions": "\(numbers.sorted())"])
        case .revoked(let partitions):
            let numbers = Set(partitions.map(\.partition))
            let committed = commitBeforeHandOver()
            for partition in numbers {
                if committed, let task = tasks[partition] { writeSnapshot(task) }
                tasks.removeValue(forKey: partition)
                pendingRestore.remove(partition)
            }
            if !committed { requeueAllTasksForRestore() }
            logger.info("partitions revoked", metadata: ["partitions": "\(numbers.sorted())"])
        case .lost(let partitions):
            // Another member may own them already: committing would be wrong. Abort, and restore what is left. A
            // commit already in flight is let finish (it cannot be called back); what was folded meanwhile is not.
            if commitInFlight != nil {
                do {
                    try completeCommitInFlightNow()
                } catch {
                    logger.warning("commit in flight failed", metadata: ["error": "\(error)"])
                }
            }
            if isTransactionOpen {
                try? producer.abortTransactionNow()
                transactionAborted()
            }
            let numbers = Set(partitions.map(\.partition))
            for partition in numbers {
                tasks.removeValue(forKey: partition)
                pendingRestore.remove(partition)
            }
            requeueAllTasksForRestore()
            logger.warning("partitions lost", metadata: ["partitions": "\(numbers.sorted())"])
        }
        publishStatus()
    }

    /// Commits the open transaction and writes its checkpoints on the polling thread, before the revoke completes;
    /// `false` if it had to be aborted instead (the next owner then re-folds from the last checkpoint).
    private func commitBeforeHandOver() -> Bool {
        do {
            try completeCommitInFlightNow()
            if isTransactionOpen { try commitNow() }
            if !owedCheckpoints.isEmpty {
                try beginTransactionIfNeeded()
                try commitNow()
            }
            return true
        } catch {
            logger.warning("commit before revoke failed; aborting", metadata: ["error": "\(error)"])
            if isTransactionOpen {
                try? producer.abortTransactionNow()
                transactionAborted()
            }
            return false
        }
    }

    /// ``commit()`` on the calling thread (a rebalance hook's).
    private func commitNow() throws {
        let prepared = try prepareCommit()
        try producer.sendOffsetsNow(prepared.offsets, groupMetadata: prepared.groupMetadata)
        try producer.commitTransactionNow()
        finishCommit(prepared, stillUncommitted: 0)
    }

    private func inputPartitions(_ partitions: some Sequence<Int32>) -> [TopicPartition] {
        partitions.flatMap { partition in
            configuration.topics.inputs.map { TopicPartition(topic: $0, partition: partition) }
        }
    }

    private func publishStatus() {
        let active = tasks.keys.filter { !pendingRestore.contains($0) }.sorted()
        let restoring = pendingRestore.sorted()
        statusBox.withLock {
            $0.activePartitions = active
            $0.restoringPartitions = restoring
        }
        metrics.assignedPartitions.record(active.count + restoring.count)
        // Right after a restore or a revoke too, not only at the next commit.
        metrics.leadsInState.record(tasks.values.reduce(0) { $0 + $1.store.count })
    }

    /// `leadsync_consumer_lag` of the partitions this instance folds, at most once a second.
    private func reportLagIfDue() {
        guard ContinuousClock.now - lastLagReport >= .seconds(1) else { return }
        lastLagReport = .now
        let folded = inputPartitions(tasks.keys.filter { !pendingRestore.contains($0) })
        let lag = (try? consumer.lag(folded)) ?? [:]
        metrics.lag(group: configuration.groupId, topics: configuration.topics.inputs, byPartition: lag)
    }

    // MARK: - Restore

    /// Restores every pending partition together (their reads overlap), positions their inputs and resumes them.
    private func restorePending() async throws(FoldError) {
        let started = ContinuousClock.now
        let restored = try await restore(pendingRestore.sorted())
        try await position(restored)
        let seconds = Double((ContinuousClock.now - started).milliseconds) / 1000
        let records = restored.reduce(0) { $0 + $1.restoredRecords }
        for task in restored {
            tasks[task.partition] = task
            pendingRestore.remove(task.partition)
        }
        do {
            try consumer.resume(inputPartitions(restored.map(\.partition)))
        } catch {
            throw FoldError.kafka(error, "resume restored partitions")
        }
        metrics.restoreSeconds.record(duration: ContinuousClock.now - started)
        statusBox.withLock {
            $0.restoreSeconds += seconds
            $0.restoredRecords += records
        }
        logger.info(
            "partitions restored",
            metadata: [
                "partitions": "\(restored.map(\.partition))",
                "leads": "\(restored.reduce(0) { $0 + $1.store.count })", "records": "\(records)",
                "seconds": "\(seconds)", "suppressed": "\(restored.reduce(0) { $0 + $1.suppressedOutputIds.count })",
            ]
        )
        publishStatus()
    }

    private func snapshotFile(_ partition: Int32) -> StateSnapshotFile? {
        guard let directory = configuration.stateDirectory else { return nil }
        return StateSnapshotFile(
            url: URL(fileURLWithPath: directory)
                .appendingPathComponent(configuration.groupId)
                .appendingPathComponent("partition-\(partition).snapshot")
        )
    }

    /// Per partition: snapshot (if any) plus changelog tail, applied up to the last checkpoint; then the outputs
    /// written since that checkpoint, so a re-fold does not write them again.
    private func restore(_ partitions: [Int32]) async throws(FoldError) -> [FoldTask] {
        let deadline = configuration.transactionTimeout * 2 + .seconds(30)
        var replays: [Int32: ChangelogReplay] = [:]
        var snapshotEntries: [Int32: Int] = [:]
        var changelogStarts: [TopicPartition: Int64] = [:]
        let changelogs = partitions.map { TopicPartition(topic: configuration.topics.changelog, partition: $0) }
        let outputTopics = configuration.topics.commands.values.sorted() + [configuration.topics.deadLetter]
        let outputs = partitions.flatMap { partition in
            outputTopics.map { TopicPartition(topic: $0, partition: partition) }
        }
        // One round of requests for every partition the restore reads: the outputs' ends cannot move meanwhile
        // (this task is their only writer), and asking later costs a metadata round trip per new topic.
        let watermarks = try await reader.watermarks(changelogs + outputs)
        for (partition, changelog) in zip(partitions, changelogs) {
            var snapshot = loadSnapshot(partition)
            let (low, high) = watermarks[changelog] ?? (0, 0)
            if let offset = snapshot?.changelogOffset, offset > high {
                logger.warning(
                    "ignoring a state snapshot from another changelog",
                    metadata: ["partition": "\(partition)", "snapshot.offset": "\(offset)", "changelog.end": "\(high)"]
                )
                snapshot = nil
            }
            let from = snapshot?.changelogOffset ?? 0
            if from < low {
                metrics.incompleteRestore()
                logger.error(
                    "the changelog's head was deleted and no snapshot covers it: leads of the deleted part restore empty",
                    metadata: ["partition": "\(partition)", "from": "\(from)", "log.start": "\(low)"]
                )
            }
            replays[partition] = ChangelogReplay(startingFrom: snapshot?.store ?? LeadStateStore())
            snapshotEntries[partition] = snapshot?.store.count ?? 0
            changelogStarts[changelog] = from
        }
        let changelogRanges = try await reader.read(changelogStarts, known: watermarks, deadline: deadline) {
            record throws(FoldError) in
            do {
                try replays[record.partition]?.consume(key: record.key, value: record.value, headers: record.headers)
            } catch {
                throw FoldError(kind: .corruptState, message: "\(record.topicPartition)@\(record.offset): \(error)")
            }
        }

        var tasks: [Int32: FoldTask] = [:]
        var outputStarts: [TopicPartition: Int64] = [:]
        for partition in partitions {
            guard let replay = replays[partition] else { continue }
            metrics.restored(changelogRecords: replay.readRecords, snapshotRecords: snapshotEntries[partition] ?? 0)
            let changelog = TopicPartition(topic: configuration.topics.changelog, partition: partition)
            changelogPositions[partition] = changelogRanges[changelog]?.end ?? 0
            var task = FoldTask(
                partition: partition,
                store: replay.store,
                suppressedOutputIds: [:],
                abandonedTokens: replay.uncommittedTokens.sorted(),
                nextInputOffsets: replay.store.checkpoint?.inputs ?? [:],
                outputLowerBounds: [:]
            )
            task.restoredRecords = replay.readRecords + (snapshotEntries[partition] ?? 0)
            tasks[partition] = task
            // Outputs of transactions after the checkpoint that reached the log anyway (visible on the mock).
            for topic in outputTopics {
                outputStarts[TopicPartition(topic: topic, partition: partition)] =
                    replay.store.checkpoint?.outputs[topic] ?? 0
            }
        }
        let outputRanges = try await reader.read(outputStarts, known: watermarks, deadline: deadline) {
            record throws(FoldError) in
            if let id = FoldHeaders.string(FoldHeaders.outputId, in: record.headers),
                tasks[record.partition]?.suppressedOutputIds[id] == nil
            {
                tasks[record.partition]?.suppressedOutputIds[id] = FoldTask.SuppressedOutput(
                    topic: record.topic,
                    offset: record.offset
                )
            }
            // Member statuses: what the last command of each lead and event in the scanned tail says.
            if FoldHeaders.string(FoldHeaders.commandKind, in: record.headers) == CommandKind.memberStatus.rawValue,
                let command = try? CommandCodec.decode(record.value)
            {
                tasks[record.partition]?.noteScannedCommand(command, topic: record.topic)
            }
        }
        for (output, range) in outputRanges {
            tasks[output.partition]?.outputLowerBounds[output.topic] = range.end
        }
        return partitions.compactMap { tasks[$0] }
    }

    private func loadSnapshot(_ partition: Int32) -> (store: LeadStateStore, changelogOffset: Int64)? {
        guard let file = snapshotFile(partition) else { return nil }
        do {
            return try file.read()
        } catch {
            logger.warning("ignoring an unreadable state snapshot", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Moves the tasks' inputs to their checkpoints (or the group's committed offsets, or the log start).
    private func position(_ tasks: [FoldTask]) async throws(FoldError) {
        guard !tasks.isEmpty else { return }
        let inputs = inputPartitions(tasks.map(\.partition))
        let checkpointed = Dictionary(uniqueKeysWithValues: tasks.map { ($0.partition, $0.nextInputOffsets) })
        do {
            let committed = try await consumer.committed(inputs)
            let offsets = inputs.map { input in
                TopicPartitionOffset(
                    topicPartition: input,
                    offset: checkpointed[input.partition]?[input.topic] ?? committed[input] ?? -2  // -2: log start
                )
            }
            // Asynchronous: the seek is queued ahead of the resume, and paused partitions fetch nothing meanwhile.
            try await consumer.seek(offsets, timeout: .zero)
        } catch {
            throw FoldError.kafka(error, "position the inputs of partitions \(tasks.map(\.partition))")
        }
    }

    // MARK: - Snapshots

    /// Whether a partition's snapshot is due: the commit then does not overlap a fold, so its tasks stay clean.
    private var isSnapshotDue: Bool {
        configuration.stateDirectory != nil && !tasks.isEmpty
            && ContinuousClock.now - lastSnapshot >= configuration.snapshotInterval / max(tasks.count, 1)
    }

    /// After a commit, one partition's snapshot at a time, each partition once per snapshot interval.
    private func writeSnapshotIfDue() {
        guard isSnapshotDue else { return }
        lastSnapshot = .now
        let partitions = tasks.keys.sorted()
        snapshotCursor = (snapshotCursor + 1) % partitions.count
        if let task = tasks[partitions[snapshotCursor]] { writeSnapshot(task) }
    }

    /// Writes a clean (committed) task's state with the changelog position its state reflects.
    private func writeSnapshot(_ task: FoldTask) {
        guard let file = snapshotFile(task.partition), !task.isDirty else { return }
        let changelog = TopicPartition(topic: configuration.topics.changelog, partition: task.partition)
        let position = max(
            changelogPositions[task.partition] ?? 0,
            producer.deliveredEndOffsets()[changelog] ?? 0
        )
        do {
            try file.write(task.store, changelogOffset: position)
        } catch {
            logger.warning("writing a state snapshot failed", metadata: ["file": "\(file.url.path)", "error": "\(error)"])
        }
    }
}

/// The published ``FoldStatus``, shared by the runtime and its engine.
final class FoldStatusBox: Sendable {
    private let status = Mutex(FoldStatus())

    func withLock<T>(_ body: (inout FoldStatus) -> T) -> T {
        status.withLock { body(&$0) }
    }
}

/// The rebalance hook's way to the engine, which is created after the consumer that calls the hook.
///
/// `@unchecked Sendable`: written before `subscribe` and after the last poll; read by the hook inside polls.
final class RebalanceHookTarget: @unchecked Sendable {
    var engine: FoldEngine?
}

// MARK: - CommitInFlight

/// A transaction commit running on librdkafka's threads (send offsets, flush, end the transaction) while the fold
/// loop goes on; awaited by the loop, or waited for on a rebalance hook's thread.
private final class CommitInFlight: Sendable {
    /// What the commit settles once it succeeded.
    let prepared: FoldEngine.PreparedCommit
    private let outcome: Outcome
    private let task: Task<Void, Never>

    init(prepared: FoldEngine.PreparedCommit, producer: TransactionalProducer) {
        self.prepared = prepared
        let outcome = Outcome()
        self.outcome = outcome
        task = Task {
            outcome.set(
                await FoldEngine.commitTransaction(
                    producer,
                    offsets: prepared.offsets,
                    groupMetadata: prepared.groupMetadata
                )
            )
        }
    }

    /// Whether the commit has ended, successfully or not.
    var isFinished: Bool { outcome.isSet }

    /// Waits for the commit's end without blocking a thread.
    func result() async -> Result<Void, KafkaError> {
        await task.value
        return outcome.wait()
    }

    /// Waits for the commit's end on the calling thread (never one of Swift's cooperative threads).
    func resultNow() -> Result<Void, KafkaError> {
        outcome.wait()
    }

    /// The commit's result, set once.
    private final class Outcome: Sendable {
        private let result = Mutex<Result<Void, KafkaError>?>(nil)
        private let ended = DispatchSemaphore(value: 0)

        var isSet: Bool { result.withLock { $0 != nil } }

        func set(_ value: Result<Void, KafkaError>) {
            result.withLock { $0 = value }
            ended.signal()
        }

        func wait() -> Result<Void, KafkaError> {
            ended.wait()
            ended.signal()  // for the next waiter
            return result.withLock { $0 } ?? .failure(KafkaError(code: .state, reason: "the commit ended without a result"))
        }
    }
}
