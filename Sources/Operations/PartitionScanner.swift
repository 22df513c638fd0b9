import Kafka
import Logging

/// Reads ranges of partitions without a consumer group: assign, poll until each partition's position reaches
/// the end of its range, pause the partitions that are done.
///
/// One scan at a time per scanner (a scan replaces the consumer's assignment). Reads `read_committed`: on a
/// real cluster the records of aborted fold transactions are skipped, and the position still moves past them
/// and past transaction markers, so a range ending at the high watermark is read to its end.
struct PartitionScanner: Sendable {
    /// A range of offsets of one partition: `start..<end`.
    struct Range: Hashable, Sendable {
        var partition: TopicPartition
        var start: Int64
        var end: Int64
    }

    let consumer: KafkaConsumer
    let settings: DeadLetterReader.Settings

    init(client: KafkaClientConfiguration, settings: DeadLetterReader.Settings, logger: Logger) throws(DeadLetterError)
    {
        do {
            // The group id is only a label: the scanner assigns partitions and never joins, fetches offsets of or
            // commits to a group. A short fetch wait: a read ends at the end of the log, where the broker would
            // otherwise hold every fetch for its full wait.
            var client = client
            if client.additionalProperties["fetch.wait.max.ms"] == nil {
                client.additionalProperties["fetch.wait.max.ms"] = "50"
            }
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    client: client,
                    groupId: "leadsync-dlq-reader",
                    offsetReset: .earliest,
                    isolationLevel: .readCommitted
                ),
                logger: logger
            )
        } catch {
            throw .kafka(error, while: "creating a consumer")
        }
        self.settings = settings
    }

    /// The low and high watermarks of a partition.
    func watermarks(_ partition: TopicPartition) async throws(DeadLetterError) -> (low: Int64, high: Int64) {
        do {
            return try await consumer.watermarks(partition, timeout: settings.metadataTimeout)
        } catch {
            throw .kafka(error, while: "asking for the offsets of \(partition.topic)/\(partition.partition)")
        }
    }

    /// Calls `body` with every record of the ranges, in offset order within a partition (partitions interleave).
    /// `body` returns `false` to end the scan early.
    /// - Returns: whether every range was read to its end (`false` when `body` ended the scan).
    /// - Throws: ``DeadLetterError/Code/incompleteRead`` when no partition made progress for
    ///   ``DeadLetterReader/Settings/idleTimeout``, ``DeadLetterError/Code/kafka`` for a consumer failure, and
    ///   whatever `body` throws.
    @discardableResult
    func scan(
        _ ranges: [Range],
        _ body: (ConsumedRecord) async throws(DeadLetterError) -> Bool
    ) async throws(DeadLetterError) -> Bool {
        var ends: [TopicPartition: Int64] = [:]
        var starts: [TopicPartitionOffset] = []
        for range in ranges where range.start < range.end {
            ends[range.partition] = range.end
            starts.append(TopicPartitionOffset(topicPartition: range.partition, offset: range.start))
        }
        guard !starts.isEmpty else { return true }
        do {
            try consumer.assign(starts)
        } catch {
            throw .kafka(error, while: "assigning \(starts.count) partitions")
        }
        defer { try? consumer.assign([]) }

        var lastProgress = ContinuousClock.now
        var lastPositions: [TopicPartition: Int64] = [:]
        while !ends.isEmpty {
            let batch: ConsumerBatch
            do {
                batch = try await consumer.poll(maxRecords: 2_000, timeout: settings.pollTimeout)
            } catch {
                throw .kafka(error, while: "reading \(ends.keys.sorted().map(\.description).joined(separator: ", "))")
            }
            var done: [TopicPartition] = []
            var progressed = false
            for partition in batch.partitions {
                guard let end = ends[partition.topicPartition] else { continue }
                for record in partition.records {
                    guard record.offset < end else {
                        done.append(partition.topicPartition)
                        ends.removeValue(forKey: partition.topicPartition)
                        break
                    }
                    progressed = true
                    guard try await body(record) else { return false }
                    if record.offset + 1 >= end {
                        done.append(partition.topicPartition)
                        ends.removeValue(forKey: partition.topicPartition)
                        break
                    }
                }
            }
            if !ends.isEmpty {
                // Positions move past records this reader never sees (aborted transactions, markers).
                let positions = (try? consumer.positions(Array(ends.keys))) ?? [:]
                for (partition, position) in positions {
                    if let end = ends[partition], position >= end {
                        done.append(partition)
                        ends.removeValue(forKey: partition)
                    }
                    if lastPositions[partition] != position {
                        lastPositions[partition] = position
                        progressed = true
                    }
                }
            }
            if !done.isEmpty { try? consumer.pause(done) }
            if progressed || !done.isEmpty {
                lastProgress = .now
            } else if ContinuousClock.now - lastProgress > settings.idleTimeout {
                let stuck = ends.keys.sorted().map { partition in
                    "\(partition.topic)/\(partition.partition) at \(lastPositions[partition].map(String.init) ?? "?") of \(ends[partition] ?? 0)"
                }
                throw DeadLetterError(
                    code: .incompleteRead,
                    message: "no progress for \(settings.idleTimeout) reading \(stuck.joined(separator: ", ")) "
                        + "(is the cluster reachable, or a transaction open on these partitions?)"
                )
            }
        }
        return true
    }
}
