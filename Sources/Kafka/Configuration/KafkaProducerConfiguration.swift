/// Producer settings. Idempotence is on by default: a retried send never writes a record twice.
public struct KafkaProducerConfiguration: Sendable, Hashable {
    /// How keys map to partitions.
    public enum Partitioner: String, Sendable, Hashable {
        /// The Java client's partitioner. The default: a lead's records land on the same partition whichever
        /// client (ours or the events platform's) produced them.
        case murmur2Random = "murmur2_random"
        case consistentRandom = "consistent_random"
        case fnv1aRandom = "fnv1a_random"
    }

    public var client: KafkaClientConfiguration
    /// `enable.idempotence`.
    public var idempotent: Bool
    /// `linger.ms`: how long to wait for a fuller batch.
    public var lingerMilliseconds: Int
    /// `partitioner`.
    public var partitioner: Partitioner
    /// `compression.codec` (`none`, `lz4`, `zstd`, ...).
    public var compression: String
    /// `message.timeout.ms`: the time a record may take to be delivered, retries included.
    public var messageTimeoutMilliseconds: Int
    /// `transactional.id`; set by ``TransactionalProducer``.
    public var transactionalId: String?
    /// `transaction.timeout.ms`; must exceed ``messageTimeoutMilliseconds``.
    public var transactionTimeoutMilliseconds: Int
    /// How long a send waits for room in the local queue when it is full (`queue.buffering.max.messages` records or
    /// `queue.buffering.max.kbytes`, set through ``KafkaClientConfiguration/additionalProperties``) before it fails
    /// with ``KafkaError/Code/queueFull``. Not a librdkafka property: the wait is this binding's.
    public var queueFullTimeout: Duration

    public init(
        client: KafkaClientConfiguration,
        idempotent: Bool = true,
        lingerMilliseconds: Int = 5,
        partitioner: Partitioner = .murmur2Random,
        compression: String = "none",
        messageTimeoutMilliseconds: Int = 30_000,
        transactionalId: String? = nil,
        transactionTimeoutMilliseconds: Int = 60_000,
        queueFullTimeout: Duration = .seconds(30)
    ) {
        self.client = client
        self.idempotent = idempotent
        self.lingerMilliseconds = lingerMilliseconds
        self.partitioner = partitioner
        self.compression = compression
        self.messageTimeoutMilliseconds = messageTimeoutMilliseconds
        self.transactionalId = transactionalId
        self.transactionTimeoutMilliseconds = transactionTimeoutMilliseconds
        self.queueFullTimeout = queueFullTimeout
    }

    var properties: [(String, String)] {
        var typed: [(String, String)] = [
            ("enable.idempotence", idempotent ? "true" : "false"),
            ("linger.ms", String(lingerMilliseconds)),
            ("partitioner", partitioner.rawValue),
            ("compression.codec", compression),
            ("message.timeout.ms", String(messageTimeoutMilliseconds)),
        ]
        if let transactionalId {
            typed.append(("transactional.id", transactionalId))
            typed.append(("transaction.timeout.ms", String(transactionTimeoutMilliseconds)))
        }
        return client.merged(with: typed)
    }
}
