import Kafka
import Logging
import Synchronization

/// The fold's consumer rebalance hook: what happens to tasks and transactions when partitions are assigned, revoked
/// or lost.
///
/// Runs on the consumer's thread, inside its poll or close (`RebalanceEvent`), so it waits for Kafka by blocking
/// that thread. It changes the fold's state only through ``SharedFoldState``'s lock, and acts on transactions only
/// through ``FoldTransactions``: a revoke commits what is open before the partitions go, a loss aborts it.
struct FoldRebalancer: Sendable {
    private let transactions: FoldTransactions
    private let consumer: KafkaConsumer
    private let snapshots: SnapshotFiles
    private let topics: FoldConfiguration.Topics
    private let logger: Logger

    init(
        transactions: FoldTransactions,
        consumer: KafkaConsumer,
        snapshots: SnapshotFiles,
        topics: FoldConfiguration.Topics,
        logger: Logger
    ) {
        self.transactions = transactions
        self.consumer = consumer
        self.snapshots = snapshots
        self.topics = topics
        self.logger = logger
    }

    private var shared: SharedFoldState { transactions.shared }

    func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions): assigned(partitions)
        case .revoked(let partitions): revoked(partitions)
        case .lost(let partitions): lost(partitions)
        }
        shared.publishStatus()
    }

    /// Nothing is handed out for assigned partitions until their state is restored and their inputs positioned:
    /// the poll loop restores them (``FoldRestorer``) and resumes them.
    private func assigned(_ partitions: [TopicPartition]) {
        let numbers = Set(partitions.map(\.partition))
        do {
            try consumer.pause(partitions)
        } catch {
            logger.error("pausing assigned partitions failed", metadata: ["error": "\(error)"])
        }
        shared.withLock { $0.partitions.assigned(numbers) }
        logger.info("partitions assigned", metadata: ["partitions": "\(numbers.sorted())"])
    }

    /// The open transaction and its checkpoints commit before the partitions go, then their snapshots are written;
    /// if that fails, it aborts instead and the next owner re-folds from the last checkpoint.
    private func revoked(_ partitions: [TopicPartition]) {
        let numbers = Set(partitions.map(\.partition))
        let handedOver = commitBeforeHandOver()
        let removed = shared.withLock { $0.partitions.remove(numbers) }
        if handedOver {
            let delivered = transactions.producer.deliveredEndOffsets()
            let positions = shared.withLock { $0.partitions.changelogPositions }
            for task in removed {
                snapshots.write(task, restoredChangelogEnd: positions[task.partition] ?? 0, delivered: delivered)
            }
        } else {
            transactions.restoreAllTasks()
        }
        logger.info("partitions revoked", metadata: ["partitions": "\(numbers.sorted())"])
    }

    /// Another member may own lost partitions already: committing would be wrong. A commit already in flight is
    /// let finish (it cannot be called back); what was folded meanwhile is aborted, and what is still owned
    /// restores.
    private func lost(_ partitions: [TopicPartition]) {
        let numbers = Set(partitions.map(\.partition))
        do {
            try transactions.completeCommitNow(resumeHeldWork: false)
        } catch {
            logger.warning("commit in flight failed", metadata: ["error": "\(error)"])
        }
        transactions.abortNow()
        _ = shared.withLock { $0.partitions.remove(numbers) }
        transactions.restoreAllTasks()
        logger.warning("partitions lost", metadata: ["partitions": "\(numbers.sorted())"])
    }

    /// Commits the open transaction and its checkpoints on this thread, before the revoke completes; `false` if
    /// it had to abort instead.
    private func commitBeforeHandOver() -> Bool {
        do {
            // Tasks out being folded would be missing from the commit: never the case while the hook runs inside
            // the loop's poll or close, and a safe abort if it ever were.
            guard shared.withLock({ $0.partitions.checkedOut.isEmpty }) else {
                throw FoldError(kind: .kafka, message: "partitions were revoked while their tasks were being folded")
            }
            try transactions.completeCommitNow(resumeHeldWork: true)
            try transactions.commitNow()
            if shared.withLock({ $0.transaction.owesCheckpoints }) {
                try transactions.beginIfIdle()
                try transactions.commitNow()
            }
            return true
        } catch {
            logger.warning("commit before revoke failed; aborting", metadata: ["error": "\(error)"])
            transactions.abortNow()
            return false
        }
    }
}

/// The rebalance hook's way to the ``FoldRebalancer``, which needs the consumer that calls the hook: set after the
/// consumer is created and before it subscribes, cleared after its last poll.
final class RebalanceHookTarget: Sendable {
    private let rebalancer = Mutex<FoldRebalancer?>(nil)

    func set(_ target: FoldRebalancer?) {
        rebalancer.withLock { $0 = target }
    }

    func rebalanced(_ event: RebalanceEvent) {
        rebalancer.withLock { $0 }?.rebalanced(event)
    }
}
