public import Kafka
public import Logging

/// Reads dead-letter topics without a consumer group: every partition from its first held offset to the high
/// watermark it had when the read began (dead letters written meanwhile are left for the next read).
///
/// Reads are `read_committed`, so the dead letters of fold transactions that aborted are not seen on a real
/// cluster. One read at a time per reader.
public struct DeadLetterReader: Sendable {
    /// How the reader talks to the cluster.
    public struct Settings: Sendable, Hashable {
        /// The longest wait of one poll.
        public var pollTimeout: Duration
        /// A read fails when no partition made progress for this long.
        public var idleTimeout: Duration
        /// The longest wait for metadata and watermarks.
        public var metadataTimeout: Duration
        /// The shortest time between two progress reports.
        public var progressInterval: Duration

        /// Creates settings.
        public init(
            pollTimeout: Duration = .milliseconds(200),
            idleTimeout: Duration = .seconds(30),
            metadataTimeout: Duration = .seconds(15),
            progressInterval: Duration = .seconds(5)
        ) {
            self.pollTimeout = pollTimeout
            self.idleTimeout = idleTimeout
            self.metadataTimeout = metadataTimeout
            self.progressInterval = progressInterval
        }
    }

    /// How far a read has come.
    public struct Progress: Sendable, Hashable {
        /// Dead letters read so far.
        public var scanned: Int
        /// Of those, the ones that passed the filter.
        public var matched: Int
        /// Offsets the read covers in all (an upper bound of the dead letters it will read).
        public var total: Int64
    }

    /// What a finished read saw.
    public struct Summary: Sendable, Hashable {
        /// The partitions read and their offsets when the read began.
        public var extents: [PartitionExtent]
        /// Dead letters read.
        public var scanned: Int
        /// Dead letters that passed the filter.
        public var matched: Int
        /// Whether the caller ended the read before the end.
        public var stoppedEarly: Bool
    }

    private let partitions: PartitionReader
    private let admin: KafkaAdmin
    private let settings: Settings

    /// Creates a reader.
    /// - Throws: ``DeadLetterError/Code/kafka`` when the client configuration is invalid.
    public init(
        client: KafkaClientConfiguration,
        logger: Logger,
        settings: Settings = Settings()
    )
        throws(DeadLetterError)
    {
        do {
            // The label is not a group the reader joins: it assigns partitions and never commits.
            self.partitions = try PartitionReader(
                client: client,
                label: "leadsync-dlq-reader",
                settings: PartitionReader.Settings(
                    pollTimeout: settings.pollTimeout,
                    maxRecordsPerPoll: 2_000,
                    stallTimeout: settings.idleTimeout,
                    metadataTimeout: settings.metadataTimeout,
                    // A read ends at the end of the log, where the broker would otherwise hold every fetch for
                    // its full wait (a `fetch.wait.max.ms` among the client's properties still wins).
                    fetchWaitMax: .milliseconds(50)
                ),
                logger: logger
            )
        } catch {
            throw .kafka(error, while: "creating a consumer")
        }
        do {
            self.admin = try KafkaAdmin(configuration: client, logger: logger)
        } catch {
            throw .kafka(error, while: "creating an admin client")
        }
        self.settings = settings
    }

    /// The partition counts of topics.
    /// - Throws: ``DeadLetterError/Code/topicNotFound`` naming every topic the cluster does not have.
    public func partitionCounts(of topics: [String]) async throws(DeadLetterError) -> [String: Int] {
        let unique = Array(Set(topics)).sorted()
        let descriptions: [TopicDescription]
        do {
            descriptions = try await admin.describeTopics(unique, timeout: settings.metadataTimeout)
        } catch {
            throw DeadLetterError(
                code: .kafka,
                message: "cannot read the metadata of \(unique.joined(separator: ", ")): \(error) "
                    + "(is the cluster reachable, and are the security properties right?)"
            )
        }
        let counts = Dictionary(
            descriptions.map { ($0.name, $0.partitionCount) },
            uniquingKeysWith: { first, _ in first }
        )
        let missing = unique.filter { (counts[$0] ?? 0) == 0 }
        guard missing.isEmpty else {
            throw DeadLetterError(
                code: .topicNotFound,
                message: "the cluster has no topic \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "(create the topics with `leadsync topics apply`, or check --topic-prefix)"
            )
        }
        return counts
    }

    /// Every partition of the topics with its watermarks now.
    /// - Throws: ``DeadLetterError/Code/topicNotFound`` for a topic the cluster does not have.
    public func extents(of topics: [String]) async throws(DeadLetterError) -> [PartitionExtent] {
        let counts = try await partitionCounts(of: topics)
        let all = counts.keys.sorted().flatMap { topic in
            (0..<Int32(counts[topic] ?? 0)).map { TopicPartition(topic: topic, partition: $0) }
        }
        let watermarks: [TopicPartition: Watermarks]
        do {
            watermarks = try await partitions.watermarks(all)
        } catch {
            throw .kafka(error, while: "asking for the offsets of \(counts.keys.sorted().joined(separator: ", "))")
        }
        return all.map { partition in
            let extent = watermarks[partition] ?? Watermarks(low: 0, high: 0)
            return PartitionExtent(partition: partition, low: extent.low, high: extent.high)
        }
    }

    /// Reads every dead letter of `topics` up to their current ends and hands those that pass `filter` to
    /// `body`, which returns `false` to stop. Partitions interleave; within one, dead letters come in order.
    /// - Parameter progress: called at most once per ``Settings/progressInterval``, and once at the end.
    public func read(
        _ topics: [String],
        matching filter: DeadLetterFilter,
        progress: ((Progress) -> Void)? = nil,
        _ body: (DeadLetterRecord) async throws(DeadLetterError) -> Bool
    ) async throws(DeadLetterError) -> Summary {
        let extents = try await extents(of: topics)
        let total = extents.reduce(0) { $0 + $1.count }
        var current = Progress(scanned: 0, matched: 0, total: total)
        var lastReport = ContinuousClock.now
        let interval = settings.progressInterval
        let completed = try await scan(
            extents.map { PartitionRange(partition: $0.partition, start: $0.low, end: $0.high) }
        ) { (record) throws(DeadLetterError) -> Bool in
            current.scanned += 1
            if let progress, ContinuousClock.now - lastReport >= interval {
                lastReport = .now
                progress(current)
            }
            let letter = DeadLetterRecord(record)
            guard filter.matches(letter) else { return true }
            current.matched += 1
            return try await body(letter)
        }
        progress?(current)
        return Summary(extents: extents, scanned: current.scanned, matched: current.matched, stoppedEarly: !completed)
    }

    /// The dead letters at these references, in the order given.
    /// - Throws: ``DeadLetterError/Code/recordNotFound`` for a reference outside its partition's held offsets
    ///   (saying whether retention deleted it), ``DeadLetterError/Code/topicNotFound`` for an unknown topic or
    ///   partition.
    public func records(at references: [DeadLetterReference]) async throws(DeadLetterError) -> [DeadLetterRecord] {
        guard !references.isEmpty else { return [] }
        let counts = try await partitionCounts(of: references.map(\.topic))
        var wanted: [TopicPartition: Set<Int64>] = [:]
        for reference in references {
            guard reference.partition < Int32(counts[reference.topic] ?? 0) else {
                throw DeadLetterError(
                    code: .topicNotFound,
                    message: "\(reference): topic '\(reference.topic)' has \(counts[reference.topic] ?? 0) partitions "
                        + "(0...\((counts[reference.topic] ?? 1) - 1))"
                )
            }
            wanted[reference.topicPartition, default: []].insert(reference.offset)
        }
        var ranges: [PartitionRange] = []
        for (partition, offsets) in wanted.sorted(by: { $0.key < $1.key }) {
            let (low, high) = try await watermarks(partition)
            for offset in offsets.sorted() where offset < low || offset >= high {
                let reference = DeadLetterReference(
                    topic: partition.topic,
                    partition: partition.partition,
                    offset: offset
                )
                let reason =
                    offset < low
                    ? "deleted by retention (the partition now starts at offset \(low))"
                    : "beyond the partition's end (its next offset is \(high))"
                throw DeadLetterError(code: .recordNotFound, message: "\(reference): no such record: \(reason)")
            }
            ranges.append(
                PartitionRange(
                    partition: partition,
                    start: offsets.min() ?? low,
                    end: (offsets.max() ?? low) + 1
                )
            )
        }
        var found: [DeadLetterReference: DeadLetterRecord] = [:]
        try await scan(ranges) { (record) throws(DeadLetterError) -> Bool in
            if wanted[record.topicPartition]?.contains(record.offset) == true {
                found[DeadLetterReference(record)] = DeadLetterRecord(record)
            }
            return true
        }
        return try references.map { (reference) throws(DeadLetterError) -> DeadLetterRecord in
            guard let letter = found[reference] else {
                throw DeadLetterError(
                    code: .recordNotFound,
                    message: "\(reference): no record at this offset (a transaction marker, or an aborted record)"
                )
            }
            return letter
        }
    }

    // MARK: - Reading partitions

    /// The low and high watermarks of a partition.
    func watermarks(_ partition: TopicPartition) async throws(DeadLetterError) -> (low: Int64, high: Int64) {
        do {
            let watermarks = try await partitions.watermarks([partition])[partition]
            return (watermarks?.low ?? 0, watermarks?.high ?? 0)
        } catch {
            throw .kafka(error, while: "asking for the offsets of \(partition.topic)/\(partition.partition)")
        }
    }

    /// Calls `body` with every record of the ranges, in offset order within a partition (partitions interleave).
    /// `body` returns `false` to end the scan early.
    /// - Returns: whether every range was read to its end (`false` when `body` ended the scan).
    /// - Throws: ``DeadLetterError/Code/incompleteRead`` when no partition made progress for
    ///   ``Settings/idleTimeout``, ``DeadLetterError/Code/kafka`` for a consumer failure, and whatever `body` throws.
    @discardableResult
    func scan(
        _ ranges: [PartitionRange],
        _ body: (ConsumedRecord) async throws(DeadLetterError) -> Bool
    ) async throws(DeadLetterError) -> Bool {
        let read: PartitionRead
        do {
            read = try partitions.read(ranges)
        } catch {
            throw .kafka(error, while: "assigning \(ranges.count) partitions")
        }
        defer { read.finish() }
        while true {
            let records: [ConsumedRecord]?
            do {
                records = try await read.next()
            } catch {
                switch error {
                case .stalled(let remaining, let after):
                    let stuck = remaining.map {
                        "\($0.partition.topic)/\($0.partition.partition) at \($0.start) of \($0.end)"
                    }
                    throw DeadLetterError(
                        code: .incompleteRead,
                        message: "no progress for \(after) reading \(stuck.joined(separator: ", ")) "
                            + "(is the cluster reachable, or a transaction open on these partitions?)"
                    )
                case .kafka(let error):
                    throw .kafka(error, while: "reading \(ranges.map(\.partition.description).joined(separator: ", "))")
                }
            }
            guard let records else { return true }
            for record in records {
                guard try await body(record) else { return false }
            }
        }
    }
}
