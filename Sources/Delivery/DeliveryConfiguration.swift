public import Kafka
public import LeadModel

// MARK: - DeliveryConfiguration

/// Everything a writer's ``DeliveryRuntime`` needs besides its sink.
public struct DeliveryConfiguration: Sendable {
    /// The topics of one destination.
    public struct Topics: Sendable, Hashable {
        /// Fresh commands from the fold (`<dest>.commands`).
        public var commands: String
        /// Commands waiting for another attempt (`<dest>.commands.retry`).
        public var retry: String
        /// Commands given up on (`<dest>.commands.dlq`).
        public var deadLetter: String
        /// The writer's ledgers (`<dest>.commands.ledger`, compacted, co-partitioned with ``commands``): per-lead
        /// order across retries and the intents and outcomes of calls that append.
        public var ledger: String

        /// Creates a topic set; the ledger defaults to `<commands>.ledger`.
        public init(commands: String, retry: String, deadLetter: String, ledger: String? = nil) {
            self.commands = commands
            self.retry = retry
            self.deadLetter = deadLetter
            self.ledger = ledger ?? commands + ".ledger"
        }

        /// The topics of `topics/` for a destination, optionally prefixed (tests share one cluster).
        public static func standard(for destination: Destination, prefix: String = "") -> Topics {
            let commands = prefix + destination.rawValue + ".commands"
            return Topics(commands: commands, retry: commands + ".retry", deadLetter: commands + ".dlq")
        }

        /// Every topic of the set.
        public var all: [String] { [commands, retry, deadLetter, ledger] }
    }

    /// The Kafka connection.
    public var client: KafkaClientConfiguration
    /// The consumer group (`leadsync-writer-<dest>`).
    public var groupId: String
    /// This member's name, for logs (the ledgers are keyed by partition, never by instance).
    public var instanceId: String
    /// The topics.
    public var topics: Topics
    /// How long a tenant's first queued command may wait for more before its batch is sent.
    public var linger: Duration
    /// The most commands handed to the sink at once for one tenant (normally ten calls' worth).
    public var maxBatchCommands: Int
    /// From this many queued commands of one tenant, batches grow to ``bulkBatchCommands`` (the sink then uses
    /// its bulk API).
    public var bulkThreshold: Int
    /// The most commands of one batch when the backlog is at or above ``bulkThreshold``.
    public var bulkBatchCommands: Int
    /// Retries and when to give up.
    public var retry: RetrySchedule
    /// Consumption pauses when this many consumed commands are unfinished, and resumes at half.
    public var maxUnfinishedCommands: Int
    /// How often finished offsets are committed.
    public var commitInterval: Duration
    /// A subscription parked for at most this long (a Salesforce org whose allocation is spent) keeps its
    /// tenants' commands where they are: queued in memory, offsets uncommitted. A longer park (Marketo's daily
    /// quota, until midnight in Chicago) moves them to the retry topic with the park's end as not-before time. So
    /// do held commands when they reach 90% of ``maxUnfinishedCommands`` (they would stop every other tenant).
    public var parkHoldLimit: Duration
    /// How long the effect ledger remembers an applied or intended call (the ledger topic's retention): a
    /// command older than that cannot come back (the input topics keep 14 days).
    public var effectRetention: Duration
    /// The group session timeout.
    public var sessionTimeout: Duration
    /// How long a revocation waits for batches in flight on the revoked partitions before handing them over.
    public var revocationDrainTimeout: Duration

    /// Creates a configuration.
    public init(
        client: KafkaClientConfiguration,
        groupId: String,
        instanceId: String,
        topics: Topics,
        linger: Duration = .milliseconds(200),
        maxBatchCommands: Int = 3000,
        bulkThreshold: Int = 3000,
        bulkBatchCommands: Int = 20_000,
        retry: RetrySchedule = RetrySchedule(),
        maxUnfinishedCommands: Int = 50_000,
        commitInterval: Duration = .seconds(1),
        effectRetention: Duration = .seconds(14 * 86_400),
        parkHoldLimit: Duration = .seconds(3_600),
        sessionTimeout: Duration = .seconds(10),
        revocationDrainTimeout: Duration = .seconds(30)
    ) {
        self.client = client
        self.groupId = groupId
        self.instanceId = instanceId
        self.topics = topics
        self.linger = linger
        self.maxBatchCommands = max(1, maxBatchCommands)
        self.bulkThreshold = max(1, bulkThreshold)
        self.bulkBatchCommands = max(self.maxBatchCommands, bulkBatchCommands)
        self.retry = retry
        self.maxUnfinishedCommands = max(1, maxUnfinishedCommands)
        self.commitInterval = commitInterval
        self.effectRetention = effectRetention
        self.parkHoldLimit = parkHoldLimit
        self.sessionTimeout = sessionTimeout
        self.revocationDrainTimeout = revocationDrainTimeout
    }
}
