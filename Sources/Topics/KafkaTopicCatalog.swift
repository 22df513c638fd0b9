public import Kafka

/// Topics of a real Kafka cluster, through the admin API (Metadata, DescribeConfigs, CreateTopics).
public struct KafkaTopicCatalog: TopicCatalog {
    private let admin: KafkaAdmin
    private let bootstrapServers: String
    private let timeout: Duration

    public init(admin: KafkaAdmin, bootstrapServers: String, timeout: Duration = .seconds(15)) {
        self.admin = admin
        self.bootstrapServers = bootstrapServers
        self.timeout = timeout
    }

    public func existingTopics(named names: [String]) async throws -> [ExistingTopic] {
        let described = try await admin.describeTopics(names, timeout: timeout)
        guard !described.isEmpty else { return [] }
        var configs: [String: [String: String]]?
        do {
            configs = try await admin.describeConfigs(topics: described.map(\.name), timeout: timeout)
        } catch {
            // Clusters without DescribeConfigs (librdkafka's mock) still get their partition counts checked.
            guard error.code == .unsupportedFeature || error.code == .timedOut else { throw error }
            configs = nil
        }
        return described.map { ExistingTopic(name: $0.name, partitions: $0.partitionCount, configs: configs?[$0.name]) }
    }

    public func create(_ definitions: [TopicDefinition]) async throws {
        let specifications = definitions.map {
            TopicSpecification(
                name: $0.name,
                partitions: $0.partitions,
                replicationFactor: $0.replicationFactor,
                configs: $0.configs
            )
        }
        let results: [TopicCreationResult]
        do {
            results = try await admin.createTopics(specifications, timeout: timeout)
        } catch {
            guard error.code == .unsupportedFeature else { throw error }
            throw TopicCatalogError(
                "the cluster at \(bootstrapServers) does not support CreateTopics (librdkafka's mock cluster?): "
                    + "for `leadsync dev-cluster` use `leadsync topics apply --dev-cluster <state file or control URL>`"
            )
        }
        let failures = results.compactMap { result -> String? in
            if case .failed(let name, let code, let reason) = result { return "\(name): \(code.name) \(reason)" }
            return nil
        }
        if !failures.isEmpty {
            throw TopicCatalogError(
                "could not create topics on \(bootstrapServers): \(failures.joined(separator: "; "))"
            )
        }
    }
}
