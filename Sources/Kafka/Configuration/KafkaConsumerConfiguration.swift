/// Consumer group settings. Offsets are never committed behind the application's back: auto-commit and
/// automatic offset store are off, and the application commits (or sends offsets in a transaction) itself.
public struct KafkaConsumerConfiguration: Sendable, Hashable {
    /// `partition.assignment.strategy`.
    public enum AssignmentStrategy: String, Sendable, Hashable {
        /// Incremental rebalancing: only the partitions that move are revoked.
        case cooperativeSticky = "cooperative-sticky"
        case range
        case roundRobin = "roundrobin"
    }

    /// `auto.offset.reset`: where to start when the group has no committed offset.
    public enum OffsetReset: String, Sendable, Hashable {
        case earliest
        case latest
        case error
    }

    /// `isolation.level`.
    public enum IsolationLevel: String, Sendable, Hashable {
        case readCommitted = "read_committed"
        case readUncommitted = "read_uncommitted"
    }

    public var client: KafkaClientConfiguration
    /// `group.id`.
    public var groupId: String
    /// `group.instance.id` for static membership (for example the pod name).
    public var groupInstanceId: String?
    public var assignmentStrategy: AssignmentStrategy
    public var offsetReset: OffsetReset
    public var isolationLevel: IsolationLevel
    /// `session.timeout.ms`.
    public var sessionTimeoutMilliseconds: Int
    /// `max.poll.interval.ms`.
    public var maxPollIntervalMilliseconds: Int
    /// `fetch.wait.max.ms`: how long a broker may hold a fetch that finds no data (`nil`: librdkafka's 500 ms).
    /// A real broker answers as soon as data arrives; librdkafka's mock cluster holds the whole fetch for this long
    /// whenever its partitions have nothing yet, so a short wait keeps one empty partition from stalling the rest.
    public var fetchWaitMaxMilliseconds: Int?

    public init(
        client: KafkaClientConfiguration,
        groupId: String,
        groupInstanceId: String? = nil,
        assignmentStrategy: AssignmentStrategy = .cooperativeSticky,
        offsetReset: OffsetReset = .earliest,
        isolationLevel: IsolationLevel = .readCommitted,
        sessionTimeoutMilliseconds: Int = 45_000,
        maxPollIntervalMilliseconds: Int = 300_000,
        fetchWaitMaxMilliseconds: Int? = nil
    ) {
        self.client = client
        self.groupId = groupId
        self.groupInstanceId = groupInstanceId
        self.assignmentStrategy = assignmentStrategy
        self.offsetReset = offsetReset
        self.isolationLevel = isolationLevel
        self.sessionTimeoutMilliseconds = sessionTimeoutMilliseconds
        self.maxPollIntervalMilliseconds = maxPollIntervalMilliseconds
        self.fetchWaitMaxMilliseconds = fetchWaitMaxMilliseconds
    }

    var properties: [(String, String)] {
        var typed: [(String, String)] = [
            ("group.id", groupId),
            ("partition.assignment.strategy", assignmentStrategy.rawValue),
            ("auto.offset.reset", offsetReset.rawValue),
            ("isolation.level", isolationLevel.rawValue),
            ("session.timeout.ms", String(sessionTimeoutMilliseconds)),
            ("max.poll.interval.ms", String(maxPollIntervalMilliseconds)),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
        ]
        if let groupInstanceId {
            typed.append(("group.instance.id", groupInstanceId))
        }
        if let fetchWaitMaxMilliseconds {
            typed.append(("fetch.wait.max.ms", String(fetchWaitMaxMilliseconds)))
        }
        return client.merged(with: typed)
    }
}
