public import Kafka

/// What a replay did, or (dry run) would do.
public struct DeadLetterReplaySummary: Sendable, Hashable {
    /// A dead letter the replay re-publishes (or would).
    public struct Planned: Sendable, Hashable {
        /// The dead letter.
        public var source: DeadLetterReference
        /// Where it goes: its original topic and partition.
        public var target: TopicPartition
        /// Its tenant, when one can be told.
        public var tenant: String?
        /// Its error class and code, `class/code`.
        public var reason: String
    }

    /// A dead letter that was not re-published, and why.
    public struct Skipped: Sendable, Hashable {
        /// The dead letter.
        public var source: DeadLetterReference
        /// Why.
        public var reason: String
    }

    /// The replay id.
    public var replayId: String
    /// Whether nothing was published.
    public var isDryRun: Bool
    /// Dead letters read.
    public var scanned = 0
    /// Dead letters that passed the filter.
    public var matched = 0
    /// Matching dead letters that are this replay id's own output failing again: never replayed by the same id.
    public var ownDeadLetters = 0
    /// Matching dead letters already re-published under this replay id (an earlier or crashed run).
    public var alreadyReplayed = 0
    /// Records of the target partitions read to find earlier replays.
    public var checkedRecords = 0
    /// Matching dead letters that cannot be replayed (no original topic, or a topic or partition that is gone).
    public var unroutable: [Skipped] = []
    /// The dead letters this run re-publishes (or would), in replay order.
    public var planned: [Planned] = []
    /// Matching dead letters left for a later run by the limit.
    public var leftByLimit = 0
    /// Records re-published and acknowledged.
    public var replayed = 0
    /// Records whose publication failed; a rerun with the same replay id retries them.
    public var failed: [Skipped] = []
    /// Whether the run was cancelled before it re-published everything planned.
    public var wasInterrupted = false
    /// How long the run took.
    public var elapsed: Duration = .zero

    /// Creates an empty summary.
    public init(replayId: String, isDryRun: Bool) {
        self.replayId = replayId
        self.isDryRun = isDryRun
    }

    /// Re-published records per target partition.
    public var plannedByTarget: [TopicPartition: Int] {
        planned.reduce(into: [:]) { $0[$1.target, default: 0] += 1 }
    }
}
