import Basics
import CRdKafka
public import Logging

/// librdkafka's mock Kafka cluster: real brokers speaking the Kafka protocol over TCP on loopback, inside this
/// process, with consumer groups, idempotent and transactional producers, and fault injection.
///
/// It keeps about 5 MB per partition (older segments are deleted) and does not compact. The API is
/// librdkafka's experimental one, pinned to Debian's 2.0.2.
public final class MockCluster: Sendable {
    /// The handle that owns the cluster (librdkafka needs one for its bookkeeping).
    private let client: RDKafkaClient
    private let cluster: SendableOpaquePointer
    /// The brokers' `host:port` list, to use as `bootstrap.servers`.
    public let bootstrapServers: String
    /// The number of brokers (ids 1 to `brokerCount`).
    public let brokerCount: Int

    /// Starts a cluster of `brokers` brokers on ephemeral loopback ports.
    /// - Throws: ``KafkaError`` if librdkafka could not start it.
    public init(brokers: Int = 1, logger: Logger) throws(KafkaError) {
        // The brokers' sockets answer without Nagle's delay too (see ``KafkaClientConfiguration``).
        self.client = try RDKafkaClient.make(
            kind: .producer,
            properties: [("log_level", "3"), ("socket.nagle.disable", "true")],
            logger: logger
        )
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError.client("could not start a mock cluster with \(brokers) brokers")
        }
        self.cluster = SendableOpaquePointer(pointer: cluster)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokers
    }

    deinit {
        // The cluster before the handle it was created with.
        rd_kafka_mock_cluster_destroy(cluster.pointer)
    }

    /// Creates a topic. The mock cluster has no topic configs: compaction and retention are not modelled.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster.pointer, name, Int32(partitions), Int32(replicationFactor))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(err, context: "create mock topic \(name)")
        }
    }

    // MARK: - Fault injection

    /// Makes the next requests of this API fail with these errors, one error per request, in order.
    public func pushRequestErrors(_ api: KafkaAPIKey, _ errors: [KafkaError.Code]) {
        var codes = errors.map { rd_kafka_resp_err_t(rawValue: $0.rawValue) }
        rd_kafka_mock_push_request_errors_array(cluster.pointer, api.rawValue, codes.count, &codes)
    }

    /// Forgets errors pushed for this API that were not used yet.
    public func clearRequestErrors(_ api: KafkaAPIKey) {
        rd_kafka_mock_clear_request_errors(cluster.pointer, api.rawValue)
    }

    /// Takes a broker down: its connections are closed and new ones refused, until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster.pointer, broker), "broker \(broker) down")
    }

    /// Brings a broker back.
    public func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster.pointer, broker), "broker \(broker) up")
    }

    /// Delays every response of a broker.
    public func setRoundTripTime(broker: Int32, _ delay: Duration) throws(KafkaError) {
        try check(
            rd_kafka_mock_broker_set_rtt(cluster.pointer, broker, Int32(delay.milliseconds)),
            "broker \(broker) round-trip time"
        )
    }

    /// Moves the group or transaction coordinator for `key` to `broker`.
    public func setCoordinator(_ type: CoordinatorType, key: String, broker: Int32) throws(KafkaError) {
        try check(
            rd_kafka_mock_coordinator_set(cluster.pointer, type.rawValue, key, broker),
            "\(type.rawValue) coordinator for \(key)"
        )
    }

    /// Makes a topic report an error in metadata responses (`noError` clears it).
    public func setTopicError(_ topic: String, _ error: KafkaError.Code) {
        rd_kafka_mock_topic_set_error(cluster.pointer, topic, rd_kafka_resp_err_t(rawValue: error.rawValue))
    }

    private func check(_ err: rd_kafka_resp_err_t, _ what: String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(err, context: what) }
    }

    /// A coordinator kind for ``setCoordinator(_:key:broker:)``.
    public enum CoordinatorType: String, Sendable {
        case group
        case transaction
    }
}

/// A Kafka protocol API, for fault injection.
public struct KafkaAPIKey: Hashable, Sendable {
    public let rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public static let produce = KafkaAPIKey(rawValue: 0)
    public static let fetch = KafkaAPIKey(rawValue: 1)
    public static let listOffsets = KafkaAPIKey(rawValue: 2)
    public static let metadata = KafkaAPIKey(rawValue: 3)
    public static let offsetCommit = KafkaAPIKey(rawValue: 8)
    public static let offsetFetch = KafkaAPIKey(rawValue: 9)
    public static let findCoordinator = KafkaAPIKey(rawValue: 10)
    public static let joinGroup = KafkaAPIKey(rawValue: 11)
    public static let heartbeat = KafkaAPIKey(rawValue: 12)
    public static let leaveGroup = KafkaAPIKey(rawValue: 13)
    public static let syncGroup = KafkaAPIKey(rawValue: 14)
    public static let initProducerId = KafkaAPIKey(rawValue: 22)
    public static let addPartitionsToTxn = KafkaAPIKey(rawValue: 24)
    public static let addOffsetsToTxn = KafkaAPIKey(rawValue: 25)
    public static let endTxn = KafkaAPIKey(rawValue: 26)
    public static let txnOffsetCommit = KafkaAPIKey(rawValue: 28)
}
