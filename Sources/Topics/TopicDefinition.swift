/// One topic as `topics/*.yaml` defines it: the single source of truth for the cluster, the Strimzi resources and
/// the documentation.
public struct TopicDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    /// Topic-level configs (`cleanup.policy`, `retention.ms`, `min.insync.replicas`, ...), as Kafka spells them.
    public var configs: [String: String]
    /// What the topic carries and who reads and writes it.
    public var description: String
    /// The JSON Schema of the record values, relative to `topics/`, if the values are JSON.
    public var valueSchema: String?

    public init(
        name: String,
        partitions: Int,
        replicationFactor: Int,
        configs: [String: String] = [:],
        description: String = "",
        valueSchema: String? = nil
    ) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.description = description
        self.valueSchema = valueSchema
    }

    private enum CodingKeys: String, CodingKey {
        case name, partitions, replicationFactor, configs, description, valueSchema
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try container.decode(String.self, forKey: .name)
        self.partitions = try container.decode(Int.self, forKey: .partitions)
        self.replicationFactor = try container.decode(Int.self, forKey: .replicationFactor)
        self.configs = try container.decodeIfPresent([String: String].self, forKey: .configs) ?? [:]
        self.description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        self.valueSchema = try container.decodeIfPresent(String.self, forKey: .valueSchema)
    }

    /// `cleanup.policy`, `delete` when not set (Kafka's default).
    public var cleanupPolicy: String { configs["cleanup.policy"] ?? "delete" }
}
