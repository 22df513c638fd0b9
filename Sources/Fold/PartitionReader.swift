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
        let (low, high): (Int64, Int64)
        do {
            (low, high) = try await consumer.watermarks(partition)
        } catch {
            throw FoldError.kafka(error, "watermarks of \(partition)")
        }
        let start = max(offset, low)
        guard start < high else { return (start, high) }
        do {
            try consumer.assign([TopicPartitionOffset(topicPartition: partition, offset: start)])
        } catch {
            throw FoldError.kafka(error, "assign \(partition) to the restore reader")
        }
        defer { try? consumer.assign([]) }
        let limit = ContinuousClock.now + deadline
        var next = start
        while next < high {
            let batch: ConsumerBatch
            do {
                batch = try await consumer.poll(maxRecords: 10_000, timeout: .milliseconds(200))
            } catch {
                throw FoldError.kafka(error, "read \(partition)")
            }
            for records in batch.partitions where records.topicPartition == partition {
                for record in records.records where record.offset >= next {
                    try body(record)
                    next = record.offset + 1
                }
            }
            if batch.isEmpty {
                // Transaction markers and aborted records move the position without handing out a record.
                if let position = try? consumer.positions([partition])[partition], position > next {
                    next = position
                }
                if ContinuousClock.now > limit {
                    throw FoldError(
                        kind: .restoreTimeout,
                        message: "reading \(partition) stopped at offset \(next) of \(high) for \(deadline)"
                            + " (an open transaction of a crashed instance holds it until transaction.timeout.ms)"
                    )
                }
            }
        }
        return (start, high)
    }
}
