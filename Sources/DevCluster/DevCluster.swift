import Foundation
public import Kafka
public import Logging
import Synchronization
public import Topics

/// librdkafka's mock cluster plus what the mock lacks for a development cluster: topics created with their
/// configs remembered, and fault injection that other processes can reach over HTTP (see ``DevClusterServer``).
public final class DevCluster: Sendable {
    public let mock: MockCluster
    private let admin: KafkaAdmin
    private let definitions = Mutex<[String: TopicDefinition]>([:])

    /// The brokers' `host:port` list.
    public var bootstrapServers: String { mock.bootstrapServers }

    /// Starts a mock cluster of `brokers` brokers on loopback.
    public init(brokers: Int, logger: Logger) throws(KafkaError) {
        self.mock = try MockCluster(brokers: brokers, logger: logger)
        self.admin = try KafkaAdmin(
            configuration: KafkaClientConfiguration(
                bootstrapServers: [mock.bootstrapServers],
                clientId: "leadsync-dev-cluster"
            ),
            logger: logger
        )
    }

    /// Creates topics; the replication factor is capped at the broker count, and the configs are remembered.
    /// - Returns: the names of the topics created (existing ones are left alone).
    @discardableResult
    public func create(_ topics: [TopicDefinition]) async throws -> [String] {
        let existing = Set(try await admin.describeTopics(topics.map(\.name)).map(\.name))
        var created: [String] = []
        for topic in topics where !existing.contains(topic.name) {
            try mock.createTopic(
                topic.name,
                partitions: topic.partitions,
                replicationFactor: min(topic.replicationFactor, mock.brokerCount)
            )
            definitions.withLock { $0[topic.name] = topic }
            created.append(topic.name)
        }
        return created
    }

    /// Every topic with its actual partition count and the configs it was created with (`nil` for topics the
    /// mock created by itself, whose configs are unknown).
    public func topics() async throws -> [ExistingTopic] {
        let described = try await admin.describeTopics(nil)
        let known = definitions.withLock { $0 }
        return described.map {
            ExistingTopic(name: $0.name, partitions: $0.partitionCount, configs: known[$0.name]?.configs)
        }
    }
}
