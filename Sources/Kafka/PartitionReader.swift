public import Logging
import Synchronization

/// Reads ranges of partitions outside any consumer group: the fold's restores and output scans, the operators'
/// dead-letter commands, and whole-topic reads for checks and tests.
///
/// All ranges of a read are assigned at once, so their fetches overlap instead of queueing. Within a partition
/// records come in offset order, each once. Reads are `read_committed`: on a real cluster records of aborted
/// transactions are skipped, and the reader's position still moves past them and past transaction markers, so a
/// range ending at the high watermark is read to its end even when its last offset is a commit marker.
///
/// One read at a time per reader (a read replaces the consumer's assignment).
public final class PartitionReader: Sendable {
    /// How a reader talks to the cluster.
    public struct Settings: Sendable, Hashable {
        /// The longest wait of one poll. A poll returns when it has ``maxRecordsPerPoll`` records or at this
        /// timeout, so a short one keeps a read's last records from waiting it out.
        public var pollTimeout: Duration
        /// Records asked of one poll.
        public var maxRecordsPerPoll: Int
        /// A read fails when no partition made progress (a record, or a position moved) for this long: an open
        /// transaction of a crashed producer holds a read_committed position until its transaction times out.
        public var stallTimeout: Duration
        /// The longest wait for watermarks.
        public var metadataTimeout: Duration
        /// `fetch.wait.max.ms` (`nil`: librdkafka's default). librdkafka's mock cluster holds a fetch that finds
        /// nothing for this long, which a read ending at the log's end meets once per partition.
        public var fetchWaitMax: Duration?

        /// Creates settings; the defaults suit a restore: short polls of many records.
        public init(
            pollTimeout: Duration = .milliseconds(5),
            maxRecordsPerPoll: Int = 10_000,
            stallTimeout: Duration = .seconds(60),
            metadataTimeout: Duration = .seconds(10),
            fetchWaitMax: Duration? = nil
        ) {
            self.pollTimeout = pollTimeout
            self.maxRecordsPerPoll = maxRecordsPerPoll
            self.stallTimeout = stallTimeout
            self.metadataTimeout = metadataTimeout
            self.fetchWaitMax = fetchWaitMax
        }
    }

    private let consumer: KafkaConsumer
    private let settings: Settings
    private let isReading = Atomic(false)

    /// - Parameters:
    ///   - client: the cluster to read from and how to connect to it.
    ///   - label: the consumer's `group.id`. Only a label: the reader assigns partitions and never joins, fetches
    ///     offsets of or commits to a group.
    ///   - settings: how the reader polls, and how long a read or a watermark query waits before it fails.
    ///   - logger: receives librdkafka's logs and client errors.
    /// - Throws: ``KafkaError`` for an invalid client configuration.
    public init(
        client: KafkaClientConfiguration,
        label: String,
        settings: Settings = Settings(),
        logger: Logger
    ) throws(KafkaError) {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client,
                groupId: label,
                offsetReset: .earliest,
                isolationLevel: .readCommitted,
                fetchWaitMaxMilliseconds: settings.fetchWaitMax.map { Int($0.milliseconds) }
            ),
            logger: logger
        )
        self.settings = settings
    }

    /// The low and high watermarks of partitions, in two ListOffsets rounds for all of them (not two queries per
    /// partition).
    public func watermarks(_ partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Watermarks] {
        try await consumer.watermarks(partitions, timeout: settings.metadataTimeout)
            .mapValues { Watermarks(low: max(0, $0.low), high: max(0, $0.high)) }
    }

    /// The ranges from each partition's offset (or its log start, if later) to its end now.
    /// - Parameters:
    ///   - starts: the partitions to read and the offset each range starts from.
    ///   - known: watermarks already asked for; the others are asked for here.
    public func rangesToEnd(
        from starts: [TopicPartition: Int64],
        known: [TopicPartition: Watermarks] = [:]
    ) async throws(KafkaError) -> [PartitionRange] {
        var watermarks = known
        let unknown = starts.keys.filter { known[$0] == nil }
        if !unknown.isEmpty { watermarks.merge(try await self.watermarks(unknown)) { $1 } }
        return starts.keys.sorted().map { partition in
            let offset = starts[partition] ?? 0
            let (low, high) = watermarks[partition].map { ($0.low, $0.high) } ?? (offset, offset)
            let start = max(offset, low)
            return PartitionRange(partition: partition, start: start, end: max(start, high))
        }
    }

    /// Starts reading the ranges; ``PartitionRead/next()`` hands out their records.
    /// - Throws: ``KafkaError`` when the partitions cannot be assigned, or when another read of this reader is
    ///   still open.
    public func read(_ ranges: [PartitionRange]) throws(KafkaError) -> PartitionRead {
        guard isReading.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw KafkaError.client("a partition reader reads one set of ranges at a time", code: .state)
        }
        let nonEmpty = ranges.filter { $0.start < $0.end }
        do {
            if !nonEmpty.isEmpty {
                try consumer.assign(
                    nonEmpty.map { TopicPartitionOffset(topicPartition: $0.partition, offset: $0.start) }
                )
                // librdkafka keeps a partition's pause across assignments: one a previous read paused at its end
                // would fetch nothing.
                try consumer.resume(nonEmpty.map(\.partition))
            }
        } catch {
            isReading.store(false, ordering: .releasing)
            throw error
        }
        return PartitionRead(reader: self, ranges: nonEmpty)
    }

    /// Every record of the ranges, partition by partition in offset order.
    public func records(in ranges: [PartitionRange]) async throws(PartitionReadError) -> [ConsumedRecord] {
        let read: PartitionRead
        do {
            read = try self.read(ranges)
        } catch {
            throw .kafka(error)
        }
        var byPartition: [TopicPartition: [ConsumedRecord]] = [:]
        while let records = try await read.next() {
            for record in records { byPartition[record.topicPartition, default: []].append(record) }
        }
        return byPartition.keys.sorted().flatMap { byPartition[$0] ?? [] }
    }

    /// The watermarks of every partition of a topic of `partitionCount` partitions.
    public func watermarks(
        ofTopic topic: String,
        partitionCount: Int
    ) async throws(KafkaError) -> [TopicPartition: Watermarks] {
        try await watermarks((0..<Int32(partitionCount)).map { TopicPartition(topic: topic, partition: $0) })
    }

    // MARK: - For PartitionRead

    fileprivate func poll() async throws(KafkaError) -> ConsumerBatch {
        try await consumer.poll(maxRecords: settings.maxRecordsPerPoll, timeout: settings.pollTimeout)
    }

    fileprivate func positions(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        (try? consumer.positions(partitions)) ?? [:]
    }

    fileprivate func pause(_ partitions: [TopicPartition]) {
        try? consumer.pause(partitions)
    }

    fileprivate var stallTimeout: Duration { settings.stallTimeout }

    fileprivate func finishRead() {
        try? consumer.assign([])
        isReading.store(false, ordering: .releasing)
    }
}

/// The first offset a partition still holds and the offset after its last record.
public struct Watermarks: Hashable, Sendable {
    /// The first offset still held (older ones were deleted by retention).
    public var low: Int64
    /// The offset after the last record (on a transactional topic, possibly after a commit marker).
    public var high: Int64

    /// Creates watermarks.
    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }
}

/// Offsets `start..<end` of one partition.
public struct PartitionRange: Hashable, Sendable {
    /// The partition.
    public var partition: TopicPartition
    /// The first offset to read.
    public var start: Int64
    /// The offset after the last one to read.
    public var end: Int64

    /// Creates a range.
    public init(partition: TopicPartition, start: Int64, end: Int64) {
        self.partition = partition
        self.start = start
        self.end = end
    }
}

/// Why a read of partition ranges ended before their ends.
public enum PartitionReadError: Error, Sendable, CustomStringConvertible {
    /// The consumer failed.
    case kafka(KafkaError)
    /// No partition made progress for the reader's stall timeout; `remaining` is what was left of the unfinished
    /// ranges (from each one's position to its end).
    case stalled(remaining: [PartitionRange], after: Duration)

    public var description: String {
        switch self {
        case .kafka(let error):
            "\(error)"
        case .stalled(let remaining, let after):
            "no progress for \(after) reading "
                + remaining.map { "\($0.partition) at offset \($0.start) of \($0.end)" }.joined(separator: ", ")
                + " (an open transaction of a crashed producer holds a read_committed reader until it times out;"
                + " or the cluster is unreachable)"
        }
    }
}

/// One read of partition ranges, started by ``PartitionReader/read(_:)``: call ``next()`` until it returns `nil`.
///
/// Ends (and frees the reader for the next read) when every range was read to its end, or when it is released
/// early.
public final class PartitionRead {
    private let reader: PartitionReader
    /// Per partition not yet done: the offset after the last one to hand out.
    private var ends: [TopicPartition: Int64] = [:]
    /// Per partition: the next offset to hand out (records before it were handed out, or are before the range).
    private var next: [TopicPartition: Int64] = [:]
    private var lastProgress = ContinuousClock.now
    private var finished = false

    fileprivate init(reader: PartitionReader, ranges: [PartitionRange]) {
        self.reader = reader
        for range in ranges {
            ends[range.partition] = range.end
            next[range.partition] = range.start
        }
        if ends.isEmpty { finish() }
    }

    deinit {
        finish()
    }

    /// The next records of the ranges (a partition's in offset order; partitions interleave), or `nil` once every
    /// range was read to its end. A result may be empty while records are on their way.
    /// - Throws: ``PartitionReadError/stalled(remaining:after:)`` when no partition made progress for the
    ///   reader's stall timeout, ``PartitionReadError/kafka(_:)`` when the consumer failed.
    public func next() async throws(PartitionReadError) -> [ConsumedRecord]? {
        guard !finished else { return nil }
        let batch: ConsumerBatch
        do {
            batch = try await reader.poll()
        } catch {
            finish()
            throw .kafka(error)
        }
        var records: [ConsumedRecord] = []
        var done: [TopicPartition] = []
        var progressed = false
        for partitionRecords in batch.partitions {
            let partition = partitionRecords.topicPartition
            guard let end = ends[partition], var position = next[partition] else { continue }
            for record in partitionRecords.records where record.offset >= position && record.offset < end {
                records.append(record)
                position = record.offset + 1
                progressed = true
            }
            next[partition] = position
            if position >= end { done.append(partition) }
        }
        // Positions move past records a read_committed reader never gets (aborted ones, transaction markers).
        for (partition, position) in reader.positions(Array(ends.keys)) {
            guard let end = ends[partition] else { continue }
            if position > (next[partition] ?? 0) {
                next[partition] = position
                progressed = true
            }
            if position >= end && !done.contains(partition) { done.append(partition) }
        }
        for partition in done { ends.removeValue(forKey: partition) }
        // Done partitions fetch nothing more: a range may end before the log does.
        if !done.isEmpty { reader.pause(done) }
        if ends.isEmpty {
            finish()
        } else if progressed || !done.isEmpty {
            lastProgress = .now
        } else if ContinuousClock.now - lastProgress > reader.stallTimeout {
            let remaining = ends.keys.sorted().map {
                PartitionRange(partition: $0, start: next[$0] ?? 0, end: ends[$0] ?? 0)
            }
            finish()
            throw .stalled(remaining: remaining, after: reader.stallTimeout)
        }
        return records
    }

    /// Ends the read early (also done when the read is released): the reader is free for the next read.
    public func finish() {
        guard !finished else { return }
        finished = true
        reader.finishRead()
    }
}
