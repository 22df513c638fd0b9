internal import Foundation

// MARK: - EnvironmentVariable

/// The environment variables LeadSync reads.
public enum EnvironmentVariable {
    /// `LEADSYNC_CONFIG`: the configuration file's path (without it, the embedded development default is used).
    public static let configPath = "LEADSYNC_CONFIG"
    /// `LEADSYNC_KAFKA_BOOTSTRAP_SERVERS`: comma-separated `host:port`; replaces `kafka.bootstrapServers`.
    public static let kafkaBootstrapServers = "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS"
    /// `LEADSYNC_KAFKA_PROPERTY_<NAME>`: a librdkafka property, its name upper-cased with dots as underscores
    /// (`LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL=SASL_SSL`).
    public static let kafkaPropertyPrefix = "LEADSYNC_KAFKA_PROPERTY_"
    /// `LEADSYNC_LOG_LEVEL`: replaces `observability.logLevel`.
    public static let logLevel = "LEADSYNC_LOG_LEVEL"
    /// `LEADSYNC_METRICS_ADDRESS`: replaces `observability.metricsAddress`.
    public static let metricsAddress = "LEADSYNC_METRICS_ADDRESS"

    /// The librdkafka property an override variable sets (`LEADSYNC_KAFKA_PROPERTY_SASL_USERNAME` ->
    /// `sasl.username`), or `nil` when the variable is not an override.
    public static func kafkaPropertyName(ofVariable variable: String) -> String? {
        guard variable.hasPrefix(kafkaPropertyPrefix), variable.count > kafkaPropertyPrefix.count else { return nil }
        return variable.dropFirst(kafkaPropertyPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
    }

    /// The override variable of a librdkafka property (`security.protocol` ->
    /// `LEADSYNC_KAFKA_PROPERTY_SECURITY_PROTOCOL`).
    public static func kafkaPropertyVariable(for property: String) -> String {
        kafkaPropertyPrefix + property.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
