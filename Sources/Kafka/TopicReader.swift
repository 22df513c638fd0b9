public import Logging

/// Reads whole topics without a consumer group (for checks, tools and tests): a ``PartitionReader`` over every
/// partition from its start to the end it had when the read began.
public enum TopicReader {
    /// Every record of `topic`, partition by partition in offset order.
    /// - Parameter stallTimeout: the read fails when no partition made progress for this long.
    /// - Throws: ``KafkaError`` when the topic cannot be described, ``PartitionReadError`` when it cannot be read
    ///   to its end.
    public static func readAll(
        _ topic: String,
        client: KafkaClientConfiguration,
        logger: Logger,
        stallTimeout: Duration = .seconds(60)
    ) async throws -> [ConsumedRecord] {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let partitionCount = try await admin.describeTopics([topic]).first?.partitionCount ?? 0
        let reader = try PartitionReader(
            client: client,
            label: "leadsync-topic-reader",
            settings: PartitionReader.Settings(stallTimeout: stallTimeout),
            logger: logger
        )
        let watermarks = try await reader.watermarks(ofTopic: topic, partitionCount: partitionCount)
        return try await reader.records(in: watermarks.map { PartitionRange(partition: $0.key, from: $0.value) })
    }
}

extension PartitionRange {
    /// Everything a partition holds: `low..<high` of its watermarks.
    public init(partition: TopicPartition, from watermarks: Watermarks) {
        self.init(partition: partition, start: watermarks.low, end: watermarks.high)
    }
}
