public import Logging

/// Reads whole topics without a consumer group: every partition from its start to the end it had when the read
/// began, in one assignment (for checks, tools and tests).
public enum TopicReader {
    /// Every record of `topic`, partition by partition in offset order.
    ///
    /// A transactional topic ends with a commit marker that is never handed out: the reader's position, not the
    /// last record, says when a partition is done.
    /// - Throws: ``KafkaError`` when the topic cannot be described or read.
    public static func readAll(
        _ topic: String,
        client: KafkaClientConfiguration,
        logger: Logger,
        deadline: Duration = .seconds(60)
    ) async throws(KafkaError) -> [ConsumedRecord] {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let partitionCount = try await admin.describeTopics([topic]).first?.partitionCount ?? 0
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupId: "leadsync-topic-reader"), logger: logger)
        var remaining: [TopicPartition: Int64] = [:]
        for partition in 0..<Int32(partitionCount) {
            let topicPartition = TopicPartition(topic: topic, partition: partition)
            let (_, high) = try await reader.watermarks(topicPartition)
            if high > 0 { remaining[topicPartition] = high }
        }
        try reader.assign(remaining.keys.map { TopicPartitionOffset(topicPartition: $0, offset: 0) })
        var records: [TopicPartition: [ConsumedRecord]] = [:]
        let end = ContinuousClock.now + deadline
        while !remaining.isEmpty && ContinuousClock.now < end {
            let batch = try await reader.poll(maxRecords: 10_000)
            for partition in batch.partitions {
                records[partition.topicPartition, default: []].append(contentsOf: partition.records)
            }
            for (partition, position) in try reader.positions(Array(remaining.keys)) {
                if let high = remaining[partition], position >= high { remaining[partition] = nil }
            }
        }
        try reader.assign([])
        return records.keys.sorted { $0.partition < $1.partition }.flatMap { records[$0] ?? [] }
    }
}
