import CRdKafka
public import Logging

/// A transactional producer for consume-transform-produce: records and consumed offsets commit together, or
/// not at all.
///
/// On a real Kafka cluster, read_committed consumers never see records of an aborted transaction, and the
/// offsets sent with ``sendOffsets(_:groupMetadata:timeout:)`` become the group's committed offsets on commit.
/// librdkafka 2.0.2's mock cluster does neither (it writes no transaction markers and acknowledges
/// TxnOffsetCommit without storing it): code that must be exactly-once on it too keeps its own checkpoints.
///
/// Follow librdkafka's error classes on every ``KafkaError`` it throws: ``KafkaError/isRetriable`` (call again),
/// ``KafkaError/requiresAbort`` (``abortTransaction(timeout:)``, rewind the consumer to its committed offsets, begin
/// again) and ``KafkaError/isFatal`` (create a new producer; ``KafkaError/Code/fenced`` means another instance with
/// the same transactional id took over).
public final class TransactionalProducer: Sendable {
    private let client: RDKafkaClient
    /// The `transactional.id`.
    public let transactionalId: String

    /// - Throws: ``KafkaError`` for an invalid property.
    public init(
        configuration: KafkaProducerConfiguration,
        transactionalId: String,
        logger: Logger
    ) throws(KafkaError) {
        var configuration = configuration
        configuration.transactionalId = transactionalId
        configuration.idempotent = true
        self.transactionalId = transactionalId
        self.client = try RDKafkaClient.make(kind: .producer, properties: configuration.properties, logger: logger)
    }

    /// Registers the transactional id with the coordinator, fencing older instances and completing or aborting
    /// their open transaction. Call once before the first ``beginTransaction()``.
    public func initTransactions(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await blocking("init transactions") { handle in
            rd_kafka_init_transactions(handle, Int32(timeout.milliseconds))
        }
    }

    /// Starts a transaction; local and fast, so it is not awaited.
    public func beginTransaction() throws(KafkaError) {
        try client.checkFatal()
        if let error = rd_kafka_begin_transaction(client.handle) {
            throw KafkaError.consuming(error, context: "begin transaction")
        }
    }

    /// Enqueues a record in the open transaction. Its delivery is confirmed by ``commitTransaction(timeout:)``.
    public func send(_ record: OutgoingRecord) throws(KafkaError) {
        try client.produce(record)
    }

    /// Adds the consumer's next offsets to the open transaction, so they commit with its records.
    /// - Parameters:
    ///   - offsets: for each partition, the offset of the next record to consume.
    ///   - groupMetadata: the consuming group's metadata, from ``KafkaConsumer/groupMetadata()``; it lets the
    ///     coordinator fence a zombie member of an older generation.
    public func sendOffsets(
        _ offsets: [TopicPartitionOffset],
        groupMetadata: ConsumerGroupMetadata,
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        let listPointer = SendablePartitionList(list: list)
        try await blocking("send offsets to transaction") { handle in
            rd_kafka_send_offsets_to_transaction(
                handle,
                listPointer.list.pointer,
                groupMetadata.pointer,
                Int32(timeout.milliseconds)
            )
        }
    }

    /// Flushes the transaction's records and commits them with its offsets.
    public func commitTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await blocking("commit transaction") { handle in
            rd_kafka_commit_transaction(handle, Int32(timeout.milliseconds))
        }
    }

    /// Waits until every record sent so far reached the broker (used by tests to put records on the broker
    /// before an abort; commit flushes by itself).
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run { rd_kafka_flush(handle.pointer, milliseconds).rawValue }
        let err = rd_kafka_resp_err_t(rawValue: result)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(err, context: "flush") }
    }

    /// Aborts the open transaction: its records are never visible to read_committed consumers.
    public func abortTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await blocking("abort transaction") { handle in
            rd_kafka_abort_transaction(handle, Int32(timeout.milliseconds))
        }
    }

    private func blocking(
        _ operation: String,
        _ call: @escaping @Sendable (OpaquePointer) -> OpaquePointer?
    ) async throws(KafkaError) {
        try client.checkFatal()
        let handle = SendableOpaquePointer(pointer: client.handle)
        let failure = await client.blockingCalls.run { () -> SendableError? in
            call(handle.pointer).map { SendableError(error: KafkaError.consuming($0, context: operation)) }
        }
        if let failure {
            var error = failure.error
            if !error.isRetriable && !error.requiresAbort && !error.isFatal && error.code != .timedOut {
                // librdkafka: an error with no class is to be treated as fatal for transactional producers.
                error = KafkaError(code: error.code, reason: error.reason, isFatal: true)
            }
            throw error
        }
    }
}

private struct SendableError: Sendable {
    let error: KafkaError
}

/// `@unchecked Sendable`: the list is only read by librdkafka during the call, and kept alive by the caller.
private struct SendablePartitionList: @unchecked Sendable {
    let list: RDKafkaTopicPartitionList
}
