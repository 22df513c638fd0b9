public import Logging

/// Reads whole topics without a consumer group (for checks, tools and tests): a ``PartitionReader`` over every
/// partition of a topic, from its start to the end it had when the read began.
///
/// ``readAll(_:client:logger:stallTimeout:)`` reads a topic in one call. A reader made once answers several reads,
/// and lets the caller look at a topic's ``watermarks(of:)`` before reading it (whether retention deleted a
/// partition's head, say).
public struct TopicReader: Sendable {
    private let admin: KafkaAdmin
    private let partitions: PartitionReader

    /// - Parameters:
    ///   - client: the cluster to read from and how to connect to it.
    ///   - label: the reading consumer's `group.id` (only a label: the reader joins no group).
    ///   - stallTimeout: a read fails when no partition made progress for this long.
    ///   - logger: receives librdkafka's logs and client errors.
    /// - Throws: ``KafkaError`` for an invalid client configuration.
    public init(
        client: KafkaClientConfiguration,
        label: String = "leadsync-topic-reader",
        stallTimeout: Duration = .seconds(60),
        logger: Logger
    ) throws(KafkaError) {
        admin = try KafkaAdmin(configuration: client, logger: logger)
        partitions = try PartitionReader(
            client: client,
            label: label,
            settings: PartitionReader.Settings(stallTimeout: stallTimeout),
            logger: logger
        )
    }

    /// The watermarks of every partition of `topic` (none when the topic does not exist).
    /// - Throws: ``KafkaError`` when the topic cannot be described or its offsets cannot be listed.
    public func watermarks(of topic: String) async throws(KafkaError) -> [TopicPartition: Watermarks] {
        let partitionCount = try await admin.describeTopics([topic]).first?.partitionCount ?? 0
        return try await partitions.watermarks(ofTopic: topic, partitionCount: partitionCount)
    }

    /// Every record within `watermarks` (each partition's `low..<high`), partition by partition in offset order.
    /// - Throws: ``PartitionReadError`` when a partition cannot be read to its end.
    public func records(
        within watermarks: [TopicPartition: Watermarks]
    ) async throws(PartitionReadError)
        -> [ConsumedRecord]
    {
        try await partitions.records(in: watermarks.map { PartitionRange(partition: $0.key, from: $0.value) })
    }

    /// Every record of `topic`, partition by partition in offset order.
    /// - Throws: ``KafkaError`` when the topic cannot be described, ``PartitionReadError`` when it cannot be read
    ///   to its end.
    public func readAll(_ topic: String) async throws -> [ConsumedRecord] {
        try await records(within: watermarks(of: topic))
    }

    /// Every record of `topic`, partition by partition in offset order, read by a reader made for this one read.
    /// - Parameters:
    ///   - topic: the topic to read.
    ///   - client: the cluster to read from and how to connect to it.
    ///   - logger: receives librdkafka's logs and client errors.
    ///   - stallTimeout: the read fails when no partition made progress for this long.
    /// - Throws: ``KafkaError`` when the topic cannot be described, ``PartitionReadError`` when it cannot be read
    ///   to its end.
    public static func readAll(
        _ topic: String,
        client: KafkaClientConfiguration,
        logger: Logger,
        stallTimeout: Duration = .seconds(60)
    ) async throws -> [ConsumedRecord] {
        try await TopicReader(client: client, stallTimeout: stallTimeout, logger: logger).readAll(topic)
    }
}

extension PartitionRange {
    /// Everything a partition holds: `low..<high` of its watermarks.
    public init(partition: TopicPartition, from watermarks: Watermarks) {
        self.init(partition: partition, start: watermarks.low, end: watermarks.high)
    }
}
