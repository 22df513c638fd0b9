public import Kafka

// MARK: - KafkaClusterSettings

/// How to reach an external Kafka cluster (Strimzi, MSK, Confluent): bootstrap servers, TLS/SASL as typed
/// settings, and the long tail of librdkafka properties passed through.
public struct KafkaClusterSettings: Sendable, Hashable {
    /// `bootstrap.servers`, as `host:port` entries.
    public var bootstrapServers: [String]
    /// `client.id` (default `leadsync`).
    public var clientId: String
    /// `security.protocol`; `nil` leaves librdkafka's default (`PLAINTEXT`).
    public var securityProtocol: KafkaSecurityProtocol?
    /// SASL authentication; required exactly when ``securityProtocol`` is `SASL_*`.
    public var sasl: KafkaSASLSettings?
    /// `ssl.ca.location`: the CA bundle that signs the brokers' certificates, when not the system's.
    public var sslCALocation: String?
    /// Other librdkafka properties, passed through unchanged (`compression.type`,
    /// `ssl.endpoint.identification.algorithm`).
    public var properties: [String: String]
    /// Other librdkafka properties whose values are secrets (`ssl.key.password`), by reference.
    public var secretProperties: [String: Secret]

    /// The default `client.id`.
    public static let defaultClientId = "leadsync"

    /// Creates cluster settings.
    public init(
        bootstrapServers: [String],
        clientId: String = KafkaClusterSettings.defaultClientId,
        securityProtocol: KafkaSecurityProtocol? = nil,
        sasl: KafkaSASLSettings? = nil,
        sslCALocation: String? = nil,
        properties: [String: String] = [:],
        secretProperties: [String: Secret] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.securityProtocol = securityProtocol
        self.sasl = sasl
        self.sslCALocation = sslCALocation
        self.properties = properties
        self.secretProperties = secretProperties
    }

    /// The settings as a Kafka client configuration, with secrets resolved into `additionalProperties`.
    ///
    /// Do not log the result: it holds the resolved SASL password.
    /// - Throws: ``SecretResolutionError`` when a secret cannot be read.
    public func clientConfiguration() throws(SecretResolutionError) -> KafkaClientConfiguration {
        var additional = properties
        if let securityProtocol { additional["security.protocol"] = securityProtocol.rawValue }
        if let sasl {
            additional["sasl.mechanisms"] = sasl.mechanism.rawValue
            additional["sasl.username"] = sasl.username
            additional["sasl.password"] = try sasl.password.reveal()
        }
        if let sslCALocation { additional["ssl.ca.location"] = sslCALocation }
        for (name, secret) in secretProperties { additional[name] = try secret.reveal() }
        return KafkaClientConfiguration(
            bootstrapServers: bootstrapServers,
            clientId: clientId,
            additionalProperties: additional
        )
    }

    /// Every secret of these settings.
    var secrets: [Secret] {
        (sasl.map { [$0.password] } ?? []) + secretProperties.sorted { $0.key < $1.key }.map(\.value)
    }
}
