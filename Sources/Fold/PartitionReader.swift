import Kafka
import Logging

/// Reads one partition from an offset to its end, outside any group (a restore's changelog and output scans).
///
/// "The end" is the high watermark when the read starts. Under read_committed the position can only pass
/// records of an open transaction once it is committed or aborted, so a crashed instance's transaction holds a
/// read up for at most the transaction timeout; `deadline` bounds that wait.
final class PartitionReader: Sendable {
    private let consumer: KafkaConsumer

    init(client: KafkaClientConfiguration, label: String, logger: Logger) throws(FoldError) {
        do {
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(client: client, groupId: label),
                logger: logger
            )
        } catch {
            throw FoldError.kafka(error, "create the restore reader")
        }
    }

    /// Calls `body` for every record of `partition` from `offset` (or the log start, if later) to the end.
    /// - Returns: the offset the read started at and the end offset reached.
    @discardableResult
    func read(
        _ partition: TopicPartition,
        from offset: Int64,
        deadline: Duration,
        body: (ConsumedRecord) throws(FoldError) -> Void
    ) async throws(FoldError) -> (start: Int64, end: Int64) {
        let ranges = try await read([partition: offset], deadline: deadline, body: body)
        return ranges[partition] ?? (offset, offset)
    }

    /// The low and high watermarks of partitions, in one round of requests.
    func watermarks(_ partitions: [TopicPartition]) async throws(FoldError) -> [TopicPartition: Watermarks] {
        do {
            return try await consumer.watermarks(partitions)
        } catch {
            throw FoldError.kafka(error, "watermarks of \(partitions.count) partitions")
        }
    }

    typealias Watermarks = (low: Int64, high: Int64)

    /// Reads several partitions at once, each from its offset (or its log start, if later) to its end: one
    /// assignment, so their fetches overlap instead of queueing. Records of one partition arrive in order.
    /// - Parameter known: watermarks already asked for (a restore asks for all of its partitions at once); the
    ///   others are asked for here.
    /// - Returns: per partition, the offset the read started at and the end offset reached.
    func read(
        _ starts: [TopicPartition: Int64],
        known: [TopicPartition: Watermarks] = [:],
        deadline: Duration,
        body: (ConsumedRecord) throws(FoldError) -> Void
    ) async throws(FoldError) -> [TopicPartition: (start: Int64, end: Int64)] {
        var ranges: [TopicPartition: (start: Int64, end: Int64)] = [:]
        var next: [TopicPartition: Int64] = [:]
        var watermarks = known
        let unknown = starts.keys.filter { known[$0] == nil }
        if !unknown.isEmpty { watermarks.merge(try await self.watermarks(unknown)) { $1 } }
        for (partition, offset) in starts {
            let (low, high) = watermarks[partition] ?? (offset, offset)
            let start = max(offset, low)
            ranges[partition] = (start, max(start, high))
            if start < high { next[partition] = start }
        }
        guard !next.isEmpty else { return ranges }
        do {
            try consumer.assign(next.map { TopicPartitionOffset(topicPartition: $0.key, offset: $0.value) })
        } catch {
            throw FoldError.kafka(error, "assign \(next.count) partitions to the restore reader")
        }
        defer { try? consumer.assign([]) }
        let limit = ContinuousClock.now + deadline
        var pending = Set(next.keys)
        while !pending.isEmpty {
            let batch: ConsumerBatch
            do {
                // A poll returns when it has `maxRecords` or at its timeout: a short timeout, or the last
                // records of a range would wait it out.
                batch = try await consumer.poll(maxRecords: 10_000, timeout: .milliseconds(5))
            } catch {
                throw FoldError.kafka(error, "read \(pending.count) partitions")
            }
            for records in batch.partitions {
                let partition = records.topicPartition
                guard var position = next[partition] else { continue }
                for record in records.records where record.offset >= position {
                    try body(record)
                    position = record.offset + 1
                }
                next[partition] = position
                if let end = ranges[partition]?.end, position >= end { pending.remove(partition) }
            }
            if batch.isEmpty {
                // Transaction markers and aborted records move the position without handing out a record.
                let positions = (try? consumer.positions(Array(pending))) ?? [:]
                for (partition, position) in positions where position >= (ranges[partition]?.end ?? .max) {
                    pending.remove(partition)
                }
                if ContinuousClock.now > limit, let stuck = pending.sorted().first {
                    throw FoldError(
                        kind: .restoreTimeout,
                        message: "reading \(stuck) stopped at offset \(next[stuck] ?? 0) of \(ranges[stuck]?.end ?? 0)"
                            + " for \(deadline) (an open transaction of a crashed instance holds it until"
                            + " transaction.timeout.ms)"
                    )
                }
            }
        }
        return ranges
    }
}
