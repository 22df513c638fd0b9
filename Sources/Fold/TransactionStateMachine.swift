import Kafka

/// The life cycle of the fold's Kafka transactions, as a value: each method changes the state and returns what the
/// caller must do with Kafka (the style of swift-kafka-client's state machines). No Kafka and no clock of its own:
/// ``FoldTransactions`` executes the actions, under the lock of ``SharedFoldState`` for the state changes.
///
/// ```
///            begin (writes the owed checkpoints first)        commit prepared
///   idle ─────────────────────────────────────────────> open ────────────────> committing ──ended──┐
///    ^  (owing the last commit's checkpoints)            (outputs sent)        (outputs held)      │
///    │                                                                                            │
///    ├────────── committed: its checkpoints owed; held work begins the next transaction ──────────┤
///    │                                                                                            │
///    └── abort ── failed (the commit failed; the transaction is still open in the producer) <─────┘
/// ```
///
/// A transaction's checkpoints are written first thing in the *next* transaction, once it committed
/// (docs/exactly-once.md, "Checkpoints one transaction late"): so ``State/idle(owedCheckpoints:)`` carries them. A
/// commit runs on librdkafka's threads while the loop folds on: what is folded meanwhile belongs to the next
/// transaction and its outputs are held in ``State/committing(_:)`` until that one begins. An abort drops what is
/// open and owed; every task then restores from the log, and the restore finds the aborted work's outputs.
struct TransactionStateMachine<Commit: Sendable>: Sendable {
    enum State: Sendable {
        /// No transaction is open. The last committed transaction's checkpoints are owed to the next one.
        case idle(owedCheckpoints: [Int32: FoldCheckpoint])
        /// A transaction is open: outputs are sent to it.
        case open(OpenTransaction)
        /// The open transaction's commit runs on librdkafka's threads; outputs are held for the next transaction.
        case committing(CommittingTransaction)
        /// The commit failed: the transaction is still open in the producer and must be aborted (nothing it or
        /// the work held meanwhile wrote counts).
        case failed(KafkaError)
    }

    struct OpenTransaction: Sendable {
        var began: ContinuousClock.Instant
        /// Input records folded into it.
        var inputRecords: Int
    }

    struct CommittingTransaction: Sendable {
        /// What the commit sends and, once it succeeded, settles.
        var commit: Commit
        /// When the committing transaction began (for its duration).
        var began: ContinuousClock.Instant
        /// Outputs of the records folded while it commits: the next transaction's first records after its
        /// checkpoints.
        var heldOutputs: [OutgoingRecord] = []
        /// Input records folded while it commits.
        var heldInputRecords = 0
        /// The commit's outcome, once it ended.
        var result: Result<Void, KafkaError>?
    }

    private(set) var state: State = .idle(owedCheckpoints: [:])
    /// The token on the state records of the open transaction, or of the next one when none is open. A new one is
    /// taken when a commit is prepared and on abort: a lead state folded while a commit is in flight must never
    /// carry the token that the committing transaction's checkpoint vouches for.
    private(set) var token: String
    /// When the last transaction committed.
    private(set) var lastCommit: ContinuousClock.Instant
    private let commitInterval: Duration
    private let commitMaxRecords: Int

    init(token: String, commitInterval: Duration, commitMaxRecords: Int, now: ContinuousClock.Instant) {
        self.token = token
        self.commitInterval = commitInterval
        self.commitMaxRecords = commitMaxRecords
        self.lastCommit = now
    }

    // MARK: - Writing

    /// What to do before writing into a transaction.
    enum Begin: Sendable {
        /// A transaction is open: write.
        case none
        /// Begin a transaction and write these checkpoints first (by partition), then write.
        case begin(owedCheckpoints: [Int32: FoldCheckpoint])
    }

    /// Where a polled batch's outputs go.
    enum FoldRoute: Sendable {
        /// Into the open transaction (after `Begin`).
        case send(Begin)
        /// Held: the previous transaction is committing.
        case hold
    }

    /// Outputs are about to be written into a transaction: opens one if none is.
    ///
    /// Not while a commit is in flight or failed (the settle timer, idle checkpoints and commits wait for it):
    /// those states answer `none`, and the caller's records would go to a transaction that is not open.
    mutating func beginIfIdle(now: ContinuousClock.Instant) -> Begin {
        guard case .idle(let owed) = state else { return .none }
        state = .open(OpenTransaction(began: now, inputRecords: 0))
        return .begin(owedCheckpoints: owed)
    }

    /// A batch is about to be folded: its outputs are held while a commit is in flight, else sent to the open
    /// transaction (begun here if none is).
    mutating func routeForFold(now: ContinuousClock.Instant) -> FoldRoute {
        if case .committing = state { return .hold }
        return .send(beginIfIdle(now: now))
    }

    /// Records were folded: counted into the open transaction, or, with their held outputs, into the work held
    /// for the next one.
    mutating func folded(inputRecords: Int, heldOutputs: [OutgoingRecord]) {
        switch state {
        case .open(var open):
            open.inputRecords += inputRecords
            state = .open(open)
        case .committing(var committing):
            committing.heldInputRecords += inputRecords
            committing.heldOutputs += heldOutputs
            state = .committing(committing)
        case .idle, .failed:
            break
        }
    }

    // MARK: - Deciding

    /// Whether a transaction is open.
    var isOpen: Bool {
        if case .open = state { return true }
        return false
    }

    /// Whether nothing is open and the last committed transaction's checkpoints wait for the next one.
    var owesCheckpoints: Bool {
        if case .idle(let owed) = state { return !owed.isEmpty }
        return false
    }

    /// Whether a commit runs on librdkafka's threads (ended or not).
    var isCommitting: Bool {
        if case .committing = state { return true }
        return false
    }

    /// Whether the open transaction is due: it holds ``FoldConfiguration/commitMaxRecords`` input records, or is
    /// ``FoldConfiguration/commitInterval`` old.
    func isCommitDue(now: ContinuousClock.Instant) -> Bool {
        guard case .open(let open) = state else { return false }
        return open.inputRecords >= commitMaxRecords || now - open.began >= commitInterval
    }

    /// Whether the loop must wait for the commit in flight before it goes on: the commit ended, assigned
    /// partitions wait for their restore, or a whole transaction's worth was folded meanwhile (which bounds the
    /// held outputs).
    func mustAwaitCommit(restorePending: Bool) -> Bool {
        guard case .committing(let committing) = state else { return false }
        return committing.result != nil || restorePending || committing.heldInputRecords >= commitMaxRecords
    }

    /// Whether nothing is open but checkpoints are owed (or restatements due) since a commit interval: they are
    /// then written in a transaction of their own rather than with the next input.
    func areIdleCheckpointsDue(restatementsDue: Bool, now: ContinuousClock.Instant) -> Bool {
        guard case .idle(let owed) = state, !owed.isEmpty || restatementsDue else { return false }
        return now - lastCommit >= commitInterval
    }

    /// How long the loop's poll may wait: while a commit runs, the commit's end, not the next record, is what the
    /// loop waits for.
    var pollTimeout: Duration {
        isCommitting ? .milliseconds(5) : min(commitInterval, .milliseconds(100))
    }

    // MARK: - Committing

    /// The open transaction's commit was prepared: it starts, and folds from now on belong to the next
    /// transaction, whose state records carry `nextToken`.
    /// - Returns: the commit to start, or `nil` when no transaction is open.
    mutating func commitPrepared(_ commit: Commit, nextToken: String) -> Commit? {
        guard case .open(let open) = state else { return nil }
        state = .committing(CommittingTransaction(commit: commit, began: open.began))
        token = nextToken
        return commit
    }

    /// The commit in flight ended (reported from librdkafka's thread).
    mutating func commitEnded(_ result: Result<Void, KafkaError>) {
        guard case .committing(var committing) = state else { return }
        committing.result = result
        state = .committing(committing)
    }

    /// What the caller does once the commit in flight ended.
    enum Settle: Sendable {
        /// No commit has ended (none is in flight, or it still runs).
        case none
        /// It committed: complete its checkpoints and hand them to ``owe(_:)``, then carry on with the work
        /// held meanwhile, if any.
        case committed(CommittingTransaction)
        /// It failed: the state is ``State/failed(_:)``; abort.
        case failed(KafkaError)
    }

    /// Settles the commit in flight if it ended: idle after a success (the caller owes its checkpoints), failed
    /// otherwise.
    mutating func settleCommit(now: ContinuousClock.Instant) -> Settle {
        guard case .committing(let committing) = state, let result = committing.result else { return .none }
        switch result {
        case .success:
            state = .idle(owedCheckpoints: [:])
            lastCommit = now
            return .committed(committing)
        case .failure(let error):
            state = .failed(error)
            return .failed(error)
        }
    }

    /// The committed transaction's checkpoints, completed: the next transaction writes them first.
    mutating func owe(_ checkpoints: [Int32: FoldCheckpoint]) {
        guard case .idle(let owed) = state else { return }
        state = .idle(owedCheckpoints: owed.merging(checkpoints) { $1 })
    }

    // MARK: - Aborting

    /// What the caller does to abort.
    enum Abort: Sendable {
        /// No transaction is open in the producer.
        case none
        /// Abort the producer's open transaction.
        case abortTransaction
    }

    /// Drops what is open and what is owed: every task restores from the log, and re-folds the aborted work from
    /// the last checkpoint there. The next transaction's state records carry `nextToken`.
    ///
    /// Not while a commit is in flight (it cannot be called back): wait for it and settle it first.
    mutating func abort(nextToken: String) -> Abort {
        let action: Abort
        switch state {
        case .open, .failed: action = .abortTransaction
        case .idle: action = .none
        case .committing: return .none
        }
        state = .idle(owedCheckpoints: [:])
        token = nextToken
        return action
    }
}
