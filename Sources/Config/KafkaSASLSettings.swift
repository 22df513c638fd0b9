// MARK: - KafkaSASLSettings

/// SASL authentication to the Kafka cluster.
public struct KafkaSASLSettings: Sendable, Hashable {
    /// `sasl.mechanisms`.
    public var mechanism: KafkaSASLMechanism
    /// `sasl.username`.
    public var username: String
    /// `sasl.password`, by reference only.
    public var password: Secret

    /// Creates SASL settings.
    public init(mechanism: KafkaSASLMechanism, username: String, password: Secret) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
    }
}
