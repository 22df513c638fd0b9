// MARK: - KafkaSettings

/// Which Kafka LeadSync uses.
public enum KafkaSettings: Sendable, Hashable {
    /// No Kafka configured (no `kafka` section, or an empty one, and no `LEADSYNC_KAFKA_BOOTSTRAP_SERVERS`): the CLI
    /// starts an embedded cluster (librdkafka's mock cluster) in the process.
    case embedded
    /// An external cluster.
    case cluster(KafkaClusterSettings)

    /// The external cluster's settings, or `nil` when embedded.
    public var cluster: KafkaClusterSettings? {
        if case .cluster(let settings) = self { return settings }
        return nil
    }
}
