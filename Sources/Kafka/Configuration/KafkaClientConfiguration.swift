/// Settings every Kafka client shares: where the cluster is, who the client is, and the long tail of librdkafka
/// properties passed through unchanged.
///
/// Properties are validated by librdkafka itself when a client is created; a rejected property raises a
/// ``KafkaError`` that names it and quotes librdkafka's reason.
public struct KafkaClientConfiguration: Sendable, Hashable {
    /// `bootstrap.servers`: `host:port` pairs.
    public var bootstrapServers: [String]
    /// `client.id`, shown in broker logs and quotas.
    public var clientId: String
    /// Any other librdkafka property (`security.protocol`, `sasl.mechanisms`, `ssl.ca.location`, ...). These are
    /// applied after the typed settings, so they win on conflict.
    public var additionalProperties: [String: String]

    public init(
        bootstrapServers: [String],
        clientId: String = "leadsync",
        additionalProperties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.additionalProperties = additionalProperties
    }

    var properties: [(String, String)] {
        [
            ("bootstrap.servers", bootstrapServers.joined(separator: ",")),
            ("client.id", clientId),
            // Brokers that are unreachable at start-up must fail fast instead of hanging forever.
            ("socket.connection.setup.timeout.ms", "10000"),
            // librdkafka leaves Nagle's algorithm on by default: a small request written while an earlier one is
            // unacknowledged (a TxnOffsetCommit after a batch of produces) then waits for the peer's delayed ACK,
            // 40 ms on Linux. Java clients and brokers set TCP_NODELAY; so do we.
            ("socket.nagle.disable", "true"),
        ]
    }

    /// The ordered property list: typed settings first, then the pass-through ones.
    func merged(with typed: [(String, String)]) -> [(String, String)] {
        properties + typed + additionalProperties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
