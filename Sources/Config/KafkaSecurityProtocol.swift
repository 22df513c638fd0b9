// MARK: - KafkaSecurityProtocol

/// librdkafka's `security.protocol`.
public enum KafkaSecurityProtocol: String, CaseIterable, Sendable, Hashable {
    /// `PLAINTEXT`: no TLS, no authentication (development only).
    case plaintext = "PLAINTEXT"
    /// `SSL`: TLS, optionally with a client certificate.
    case ssl = "SSL"
    /// `SASL_PLAINTEXT`: SASL authentication without TLS.
    case saslPlaintext = "SASL_PLAINTEXT"
    /// `SASL_SSL`: SASL authentication over TLS (MSK, Confluent Cloud, Strimzi with SCRAM).
    case saslSSL = "SASL_SSL"

    /// Whether the protocol authenticates with SASL (and so needs `kafka.sasl`).
    public var usesSASL: Bool {
        self == .saslPlaintext || self == .saslSSL
    }
}
