/// A topic to create: name, partitions, replication and topic-level configs (`cleanup.policy`, `retention.ms`, ...).
public struct TopicSpecification: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// A topic as the cluster's metadata describes it.
public struct TopicDescription: Sendable, Hashable {
    public var name: String
    public var partitionCount: Int
    /// The replication factor, read from the first partition's replica list.
    public var replicationFactor: Int

    public init(name: String, partitionCount: Int, replicationFactor: Int) {
        self.name = name
        self.partitionCount = partitionCount
        self.replicationFactor = replicationFactor
    }
}

/// What happened to one topic of a create request.
public enum TopicCreationResult: Sendable, Hashable {
    case created(String)
    case alreadyExists(String)
    case failed(String, KafkaError.Code, String)
}
