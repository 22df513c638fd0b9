// MARK: - KafkaSASLMechanism

/// librdkafka's `sasl.mechanisms`, the ones LeadSync supports.
public enum KafkaSASLMechanism: String, CaseIterable, Sendable, Hashable {
    /// `PLAIN` (Confluent Cloud API keys; only over TLS in production).
    case plain = "PLAIN"
    /// `SCRAM-SHA-256`.
    case scramSHA256 = "SCRAM-SHA-256"
    /// `SCRAM-SHA-512` (Strimzi, MSK).
    case scramSHA512 = "SCRAM-SHA-512"
}
