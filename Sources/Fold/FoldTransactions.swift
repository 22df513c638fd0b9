import Kafka
import LeadModel
import Logging

/// Executes the transaction state machine's actions with the producer: begins transactions (their first records
/// the owed checkpoints), writes records, starts, awaits and settles commits, aborts.
///
/// Every state change goes through ``SharedFoldState``'s lock; every Kafka call happens after it is released. The
/// poll loop awaits Kafka; the rebalance hook blocks the consumer's thread (never one of Swift's cooperative
/// threads), so the waits come in two forms: ``completeCommit()`` and ``completeCommitNow(resumeHeldWork:)``.
///
/// A transaction's checkpoints vouch for every record it wrote (docs/exactly-once.md). They are written first in
/// the *next* transaction, once this one committed: by then all its records are on the broker, so on a broker that
/// shows uncommitted records a checkpoint can never land ahead of a record it vouches for, and the commit costs one
/// flush, as in a plain consume-transform-produce loop.
struct FoldTransactions: Sendable {
    let shared: SharedFoldState
    let producer: TransactionalProducer
    private let consumer: KafkaConsumer
    private let topics: FoldConfiguration.Topics
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger

    init(
        shared: SharedFoldState,
        producer: TransactionalProducer,
        consumer: KafkaConsumer,
        configuration: FoldConfiguration,
        clock: @escaping @Sendable () -> Timestamp,
        logger: Logger
    ) {
        self.shared = shared
        self.producer = producer
        self.consumer = consumer
        self.topics = configuration.topics
        self.clock = clock
        self.logger = logger
    }

    /// A new transaction token: random, so that no two transactions of any instance share one.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36) + String(generator.next() as UInt64, radix: 36)
    }

    // MARK: - Writing

    /// Begins a transaction if `writes` says so, then sends its records to the open transaction: through
    /// ``FoldOutputs``, the one route of every record the fold writes.
    func write(_ writes: FoldState.Writes) throws(FoldError) {
        var outputs = FoldOutputs.send(to: producer)
        if case .begin(let owed) = writes.begin { try begin(writingFirst: owed, to: &outputs) }
        for record in writes.records { try outputs.write(record) }
    }

    /// Opens a transaction if none is (the settle timer's writes and an idle checkpoint write go into it).
    func beginIfIdle() throws(FoldError) {
        let begin = shared.withLock { $0.transaction.beginIfIdle(now: .now) }
        try write(FoldState.Writes(begin: begin, records: []))
    }

    private func begin(
        writingFirst owed: [Int32: FoldCheckpoint],
        to outputs: inout FoldOutputs
    ) throws(FoldError) {
        do {
            try producer.beginTransaction()
        } catch {
            throw FoldError.kafka(error, "begin a transaction")
        }
        for (partition, checkpoint) in owed.sorted(by: { $0.key < $1.key }) {
            try outputs.write(
                OutgoingRecord(
                    topic: topics.changelog,
                    partition: partition,
                    key: FoldCheckpoint.key,
                    value: checkpoint.encoded()
                )
            )
        }
    }

    // MARK: - Committing

    /// Prepares the open transaction's commit (its lead states written, its offsets and checkpoints captured) and
    /// starts it on the producer's thread; what is folded until it ends belongs to the next transaction.
    /// - Returns: `false` when no transaction is open.
    @discardableResult
    func startCommit() throws(FoldError) -> Bool {
        guard shared.withLock({ $0.transaction.isOpen }) else { return false }
        let groupMetadata: ConsumerGroupMetadata
        do {
            groupMetadata = try consumer.groupMetadata()
        } catch {
            throw FoldError.kafka(error, "read the group's metadata")
        }
        let nextToken = Self.newToken()
        guard
            let prepared = try shared.withLock({ state throws(FoldError) in
                try state.prepareCommit(groupMetadata: groupMetadata, nextToken: nextToken)
            })
        else { return false }
        try write(FoldState.Writes(begin: .none, records: prepared.records))
        let shared = self.shared
        producer.commitTransaction(offsets: prepared.commit.offsets, groupMetadata: prepared.commit.groupMetadata) {
            result in shared.withLock { $0.transaction.commitEnded(result) }
        }
        return true
    }

    /// Commits the open transaction, if one is, and waits for the commit.
    func commit() async throws(FoldError) {
        guard try startCommit() else { return }
        try await completeCommit()
    }

    /// ``commit()`` on the calling thread (a rebalance hook's); a failure is thrown, with the failed transaction
    /// left for the caller to abort.
    func commitNow() throws(FoldError) {
        guard try startCommit() else { return }
        try completeCommitNow(resumeHeldWork: true)
    }

    /// Waits for the commit in flight, if any, and settles it: the next transaction begins with the work held
    /// meanwhile, or after a failure every task restores.
    func completeCommit() async throws(FoldError) {
        guard shared.withLock({ $0.transaction.isCommitting }) else { return }
        // The commit's completion has recorded its outcome by the time the producer's queued calls have ended.
        await producer.transactionCallsEnded()
        if let failure = try settleCommit(resumeHeldWork: true) { try await recover(from: failure) }
    }

    /// ``completeCommit()`` on the calling thread (a rebalance hook's); a failure is thrown, with the failed
    /// transaction left for the caller to abort.
    /// - Parameter resumeHeldWork: whether the work held meanwhile goes on into the next transaction (`false` when
    ///   every task restores anyway).
    func completeCommitNow(resumeHeldWork: Bool) throws(FoldError) {
        guard shared.withLock({ $0.transaction.isCommitting }) else { return }
        producer.waitForTransactionCallsNow()
        if let failure = try settleCommit(resumeHeldWork: resumeHeldWork) {
            throw FoldError.kafka(failure, "commit a transaction")
        }
    }

    /// Settles an ended commit; returns its error if it failed.
    private func settleCommit(resumeHeldWork: Bool) throws(FoldError) -> KafkaError? {
        let delivered = producer.deliveredEndOffsets()
        let committedAt = clock().millisecondsSinceEpoch
        let settled = shared.withLock {
            $0.settleCommit(delivered: delivered, committedAt: committedAt, resumeHeldWork: resumeHeldWork, now: .now)
        }
        switch settled {
        case .none:
            return nil
        case .failed(let error):
            return error
        case .committed(let next, let openInputRecords):
            shared.status.withLock {
                $0.committedTransactions += 1
                $0.uncommittedInputRecords = openInputRecords
                $0.lastCommitAt = .now
            }
            if let next { try write(next) }
            return nil
        }
    }

    // MARK: - Aborting

    /// After a failed commit: abort, then restore every task (their memory holds the aborted work).
    func recover(from error: KafkaError) async throws(FoldError) {
        guard error.requiresAbort, !error.isFatal else { throw FoldError.kafka(error, "commit a transaction") }
        logger.warning("transaction aborted; restoring partitions", metadata: ["error": "\(error)"])
        if case .abortTransaction = shared.withLock({ $0.abort(nextToken: Self.newToken()) }) {
            do {
                try await producer.abortTransaction()
            } catch {
                throw FoldError.kafka(error, "abort a transaction")
            }
        }
        shared.status.withLock { $0.uncommittedInputRecords = 0 }
        restoreAllTasks()
    }

    /// Aborts what is open on the calling thread (a rebalance hook's); a failed abort is left to the transaction
    /// timeout (the next transaction's begin then fails, and the fold restarts).
    func abortNow() {
        if case .abortTransaction = shared.withLock({ $0.abort(nextToken: Self.newToken()) }) {
            try? producer.abortTransactionNow()
        }
        shared.status.withLock { $0.uncommittedInputRecords = 0 }
    }

    /// After an abort, and when abandoning: aborts what is open, waiting for a commit in flight first.
    func abandon() async {
        if shared.withLock({ $0.transaction.isCommitting }) {
            await producer.transactionCallsEnded()
            _ = try? settleCommit(resumeHeldWork: false)
        }
        if case .abortTransaction = shared.withLock({ $0.abort(nextToken: Self.newToken()) }) {
            try? await producer.abortTransaction()
        }
    }

    /// Every owned partition restores from the log; checkpoints not yet written were dropped by the abort (the
    /// restore re-folds their transaction, and finds its outputs in the scan).
    func restoreAllTasks() {
        let paused = shared.withLock { $0.partitions.restoreAll() }
        try? consumer.pause(topics.inputs(of: paused))
        shared.publishStatus()
    }
}
