public import Kafka
public import LeadModel

/// Everything the fold runtime needs to run, as a validated value (reading files and the environment happens in
/// the CLI; see `LeadSyncConfig`).
public struct FoldConfiguration: Sendable {
    /// The topics the fold reads and writes.
    public struct Topics: Sendable, Hashable {
        /// Attendee status events (input).
        public var attendee: String
        /// Engagement events (input).
        public var engagement: String
        /// Inputs re-keyed to their canonical lead key (written and read by the fold).
        public var repartition: String
        /// Lead state snapshots and checkpoints (compacted).
        public var changelog: String
        /// Inputs that can never be folded, with the reason in headers.
        public var deadLetter: String
        /// Command topic per destination.
        public var commands: [Destination: String]

        /// The topics of `topics/`.
        public static let standard = Topics(
            attendee: "attendee.events",
            engagement: "engagement.events",
            repartition: "leadsync.repartition",
            changelog: "leadsync.state.changelog",
            deadLetter: "leadsync.events.dlq",
            commands: [.marketo: "marketo.commands", .salesforce: "salesforce.commands"]
        )

        /// The topics a fold task reads records to fold from.
        public var inputs: [String] { [attendee, engagement, repartition] }

        /// The topics a fold writes to.
        public var outputs: [String] { [changelog, repartition, deadLetter] + commands.values.sorted() }

        /// Creates a topic set.
        public init(
            attendee: String,
            engagement: String,
            repartition: String,
            changelog: String,
            deadLetter: String,
            commands: [Destination: String]
        ) {
            self.attendee = attendee
            self.engagement = engagement
            self.repartition = repartition
            self.changelog = changelog
            self.deadLetter = deadLetter
            self.commands = commands
        }

        /// A topic set whose every name carries a prefix (tests run many folds on one cluster).
        public func prefixed(_ prefix: String) -> Topics {
            Topics(
                attendee: prefix + attendee,
                engagement: prefix + engagement,
                repartition: prefix + repartition,
                changelog: prefix + changelog,
                deadLetter: prefix + deadLetter,
                commands: commands.mapValues { prefix + $0 }
            )
        }
    }

    /// The Kafka connection.
    public var client: KafkaClientConfiguration
    /// The consumer group of every fold process.
    public var groupId: String
    /// This process's stable name (a pod name in Kubernetes): its transactional id is `{groupId}-{instanceId}`.
    public var instanceId: String
    /// Topic names.
    public var topics: Topics
    /// Every tenant's rules.
    public var tenants: TenantDirectory
    /// A transaction commits after this long (Kafka Streams under exactly-once uses 100 ms)...
    public var commitInterval: Duration
    /// ...or after this many input records, whichever comes first.
    public var commitMaxRecords: Int
    /// Where per-partition state snapshots are kept; `nil` restores from the changelog alone.
    public var stateDirectory: String?
    /// How often each partition's state is written to its snapshot file.
    public var snapshotInterval: Duration
    /// How often the custom-activity settle timer runs.
    public var settleCheckInterval: Duration
    /// Records asked of one poll.
    public var maxPollRecords: Int
    /// Threads that fold one poll's partitions at once (partitions are independent; one is folded by one thread).
    public var foldThreads: Int
    /// `fetch.wait.max.ms` of the input consumer. The fold reads three topics, one of them (repartition) mostly
    /// empty; librdkafka's mock cluster holds a fetch that finds no data for this long even when data arrives
    /// meanwhile (a real broker answers at once), so librdkafka's 500 ms default stalls the inputs after each
    /// assignment. 50 ms costs a real cluster at most 20 idle fetches a second per instance.
    public var fetchWaitMax: Duration
    /// The default ``fetchWaitMax``.
    public static let defaultFetchWaitMax = Duration.milliseconds(50)
    /// `compression.codec` of the output producer (changelog, commands, dead letters, repartition). A
    /// `compression.type` among the cluster's pass-through properties still wins.
    public var outputCompression: String
    /// The default ``outputCompression``: the fold writes about two JSON records per event, which lz4 shrinks
    /// several times over for little CPU, so the broker stores, replicates and serves fewer bytes.
    public static let defaultOutputCompression = "lz4"
    /// `transaction.timeout.ms`: how long a crashed instance's open transaction can hold up read_committed readers.
    public var transactionTimeout: Duration
    /// `session.timeout.ms` of the group membership.
    public var sessionTimeout: Duration

    /// Creates a configuration with the defaults of docs/configuration.md.
    public init(
        client: KafkaClientConfiguration,
        tenants: TenantDirectory,
        groupId: String = "leadsync-fold",
        instanceId: String,
        topics: Topics = .standard,
        commitInterval: Duration = .milliseconds(100),
        commitMaxRecords: Int = 5_000,
        stateDirectory: String? = nil,
        snapshotInterval: Duration = .seconds(60),
        settleCheckInterval: Duration = .seconds(1),
        maxPollRecords: Int = 5_000,
        foldThreads: Int = 2,
        fetchWaitMax: Duration = FoldConfiguration.defaultFetchWaitMax,
        outputCompression: String = FoldConfiguration.defaultOutputCompression,
        transactionTimeout: Duration = .seconds(20),
        sessionTimeout: Duration = .seconds(10)
    ) {
        self.client = client
        self.tenants = tenants
        self.groupId = groupId
        self.instanceId = instanceId
        self.topics = topics
        self.commitInterval = commitInterval
        self.commitMaxRecords = commitMaxRecords
        self.stateDirectory = stateDirectory
        self.snapshotInterval = snapshotInterval
        self.settleCheckInterval = settleCheckInterval
        self.maxPollRecords = maxPollRecords
        self.foldThreads = foldThreads
        self.fetchWaitMax = fetchWaitMax
        self.outputCompression = outputCompression
        self.transactionTimeout = transactionTimeout
        self.sessionTimeout = sessionTimeout
    }

    /// The transactional id of this instance.
    public var transactionalId: String { "\(groupId)-\(instanceId)" }
}

extension FoldConfiguration.Topics {
    /// The input topics' partitions of these task partitions (partition p of each input belongs to task p).
    func inputs(of partitions: some Sequence<Int32>) -> [TopicPartition] {
        partitions.flatMap { partition in inputs.map { TopicPartition(topic: $0, partition: partition) } }
    }
}
