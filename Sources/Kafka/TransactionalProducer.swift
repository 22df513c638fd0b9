import Basics
import CRdKafka
public import Logging
import Synchronization

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
    /// Failed deliveries counted before the open transaction began: later ones are the transaction's.
    private let failuresBeforeTransaction = Mutex(0)
    private let queueFullTimeout: Duration
    private let onQueueFullWait: (@Sendable (Duration) -> Void)?
    /// The `transactional.id`.
    public let transactionalId: String

    /// - Parameters:
    ///   - configuration: the producer's settings, turned into librdkafka properties; `transactionalId` replaces
    ///     its transactional id, and idempotence is always on.
    ///   - transactionalId: the `transactional.id`: an instance that registers it fences older ones with the
    ///     same id.
    ///   - logger: receives librdkafka's logs and client errors.
    ///   - onQueueFullWait: called with the time a send waited for room in a full local queue, after each such
    ///     wait, whether it ended with room, timed out or was cancelled (for a metric).
    /// - Throws: ``KafkaError`` for an invalid property.
    public init(
        configuration: KafkaProducerConfiguration,
        transactionalId: String,
        logger: Logger,
        onQueueFullWait: (@Sendable (Duration) -> Void)? = nil
    ) throws(KafkaError) {
        self.queueFullTimeout = configuration.queueFullTimeout
        self.onQueueFullWait = onQueueFullWait
        var configuration = configuration
        configuration.transactionalId = transactionalId
        configuration.idempotent = true
        self.transactionalId = transactionalId
        // Delivery reports only feed ``deliveredEndOffsets()``: no per-record ticket is waited on.
        self.client = try RDKafkaClient.make(
            kind: .producer,
            properties: configuration.properties,
            logger: logger,
            deliveryReports: true
        )
    }

    /// Registers the transactional id with the coordinator, fencing older instances and completing or aborting
    /// their open transaction. Call once before the first ``beginTransaction()``.
    public func initTransactions(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        try await blocking("init transactions") { handle in
            rd_kafka_init_transactions(handle, Int32(timeout.milliseconds))
        }
    }

    /// Looks up the partition leaders of the topics this producer will write, before the first record needs them.
    ///
    /// librdkafka looks a topic up only once a record for it is queued, and then not always at once: the first
    /// transaction of a new producer was seen waiting several hundred milliseconds for it, holding up the first
    /// commit (and on a rebalance, the hand-over).
    /// - Throws: ``KafkaError`` when a topic could not be looked up (unknown, or the cluster unreachable).
    public func prepareTopics(_ topics: [String], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let failure = await client.blockingCalls.run { () -> SendableError? in
            for topic in topics {
                guard let topicHandle = rd_kafka_topic_new(handle.pointer, topic, nil) else {
                    return SendableError(error: KafkaError.client("could not create a handle for topic \(topic)"))
                }
                defer { rd_kafka_topic_destroy(topicHandle) }
                var metadata: UnsafePointer<rd_kafka_metadata_t>?
                let err = rd_kafka_metadata(handle.pointer, 0, topicHandle, &metadata, milliseconds)
                if let metadata { rd_kafka_metadata_destroy(metadata) }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    return SendableError(error: KafkaError.response(err, context: "look up topic \(topic)"))
                }
            }
            return nil
        }
        if let failure { throw failure.error }
    }

    /// Starts a transaction; local and fast, so it is not awaited.
    public func beginTransaction() throws(KafkaError) {
        try client.checkFatal()
        if let error = rd_kafka_begin_transaction(client.handle) {
            throw KafkaError.consuming(error, context: "begin transaction")
        }
        let failures = client.context.failedDeliveries.count
        failuresBeforeTransaction.withLock { $0 = failures }
    }

    /// Enqueues a record in the open transaction. Its delivery is confirmed by ``commitTransaction(timeout:)``.
    ///
    /// When the local queue is full the task suspends, holding no thread, until the poll thread has served
    /// delivery reports, for at most ``KafkaProducerConfiguration/queueFullTimeout``.
    /// - Throws: ``KafkaError``; ``KafkaError/Code/queueFull`` when the queue stayed full (the reason names the
    ///   limits to raise), ``KafkaError/Code/interrupted`` when the task was cancelled while waiting for room.
    public func send(_ record: OutgoingRecord) async throws(KafkaError) {
        try await client.produce(record, queueFullTimeout: queueFullTimeout, onWait: onQueueFullWait)
    }

    /// ``send(_:)`` for synchronous code: a full local queue blocks the calling thread (on a semaphore the poll
    /// thread signals, for at most ``KafkaProducerConfiguration/queueFullTimeout``).
    ///
    /// For a thread of its own (a rebalance hook, the fold's dispatch queue) or synchronous code that cannot
    /// suspend; on Swift's cooperative pool a full queue holds one of its threads for the wait, so asynchronous code
    /// there uses ``send(_:)``.
    public func send(_ record: OutgoingRecord) throws(KafkaError) {
        try client.produceBlocking(record, queueFullTimeout: queueFullTimeout, onWait: onQueueFullWait)
    }

    /// Adds the consumer's next offsets to the open transaction, so they commit with its records.
    /// - Parameters:
    ///   - offsets: for each partition, the offset of the next record to consume.
    ///   - groupMetadata: the consuming group's metadata, from ``KafkaConsumer/groupMetadata()``; it lets the
    ///     coordinator fence a zombie member of an older generation.
    ///   - timeout: the longest wait for the coordinator to take the offsets.
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
        let context = client.context
        try await blocking("commit transaction") { handle in
            Self.commit(handle, context: context, timeout: timeout)
        }
    }

    /// Waits for the delivery reports of the transaction's records, then commits it: librdkafka's own flush then
    /// finds nothing left (see ``RDKafkaCallbackContext/waitUntilReported(timeout:)``).
    private static func commit(
        _ handle: OpaquePointer,
        context: RDKafkaCallbackContext,
        timeout: Duration
    ) -> OpaquePointer? {
        let deadline = ContinuousClock.now + timeout
        // In slices, so that a fatal error (after which reports may never come) ends the wait at once; on timeout
        // the commit's own flush fails with the reason.
        while context.firstFatalError == nil, ContinuousClock.now < deadline,
            !context.waitUntilReported(timeout: min(deadline - ContinuousClock.now, .milliseconds(100)))
        {}
        let remaining = max(deadline - ContinuousClock.now, .milliseconds(1))
        return rd_kafka_commit_transaction(handle, Int32(remaining.milliseconds))
    }

    /// Sends the offsets and commits the open transaction on the producer's call queue, without waiting: the
    /// caller goes on (folding the next transaction's records, say) while librdkafka flushes and commits.
    ///
    /// `completion` gets the outcome on that queue, before any call queued later runs: after
    /// ``transactionCallsEnded()`` (or ``waitForTransactionCallsNow()``) returns, it has run. Retriable commit
    /// errors are retried up to `retries` times, as librdkafka documents.
    public func commitTransaction(
        offsets: [TopicPartitionOffset],
        groupMetadata: ConsumerGroupMetadata,
        retries: Int = 5,
        timeout: Duration = .seconds(60),
        completion: @escaping @Sendable (Result<Void, KafkaError>) -> Void
    ) {
        client.blockingCalls.enqueue {
            do throws(KafkaError) {
                try self.sendOffsetsNow(offsets, groupMetadata: groupMetadata, timeout: min(timeout, .seconds(30)))
                var attempts = 0
                while true {
                    do throws(KafkaError) {
                        try self.commitTransactionNow(timeout: timeout)
                        break
                    } catch  where error.isRetriable && attempts < retries {
                        attempts += 1
                    }
                }
                completion(.success(()))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// Returns once the transaction calls started before it have ended: a commit started with
    /// ``commitTransaction(offsets:groupMetadata:retries:timeout:completion:)``, its completion included.
    public func transactionCallsEnded() async {
        await client.blockingCalls.drained()
    }

    /// ``transactionCallsEnded()`` on the calling thread; see ``sendOffsetsNow(_:groupMetadata:timeout:)``.
    public func waitForTransactionCallsNow() {
        client.blockingCalls.drainedNow()
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

    /// Waits until every record of the open transaction reached the broker, and fails if any of them did not.
    ///
    /// Records of one transaction land on their partitions independently. A broker that shows uncommitted
    /// records (librdkafka's mock cluster) can therefore hold a transaction's last record while others are still
    /// in flight; a producer killed at that moment leaves the last record without the others. Waiting here
    /// before writing a record that vouches for the rest keeps that record last on every partition.
    /// - Throws: an abortable ``KafkaError`` when a record of the transaction failed (abort and begin again).
    public func awaitDeliveries(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        try client.checkFatal()
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run { rd_kafka_flush(handle.pointer, milliseconds).rawValue }
        try checkDeliveries(flushResult: rd_kafka_resp_err_t(rawValue: result), timeout: timeout)
    }

    /// ``awaitDeliveries(timeout:)`` on the calling thread; see ``sendOffsetsNow(_:groupMetadata:timeout:)``.
    public func awaitDeliveriesNow(timeout: Duration = .seconds(30)) throws(KafkaError) {
        try client.checkFatal()
        try checkDeliveries(flushResult: rd_kafka_flush(client.handle, Int32(timeout.milliseconds)), timeout: timeout)
    }

    private func checkDeliveries(flushResult: rd_kafka_resp_err_t, timeout: Duration) throws(KafkaError) {
        if flushResult != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(
                code: KafkaError.Code(flushResult),
                reason: "records of the open transaction still in flight after \(timeout)",
                requiresAbort: true
            )
        }
        let (count, latest) = client.context.failedDeliveries
        let failures = count - failuresBeforeTransaction.withLock { $0 }
        guard failures > 0 else { return }
        throw KafkaError(
            code: latest ?? .state,
            reason: "\(failures) records of the open transaction were not delivered",
            requiresAbort: true
        )
    }

    /// For each partition this producer wrote to, the offset after the highest record it knows was delivered.
    ///
    /// A lower bound of the partition's end offset at the time of the call: every record this producer sends
    /// from now on lands at or after it. Delivery reports arrive shortly after the records reach the broker, so
    /// the figure may lag the last transaction by a few records, never run ahead of it.
    public func deliveredEndOffsets() -> [TopicPartition: Int64] {
        client.context.deliveredEndOffsets
    }

    // MARK: - Blocking variants for rebalance hooks

    /// ``sendOffsets(_:groupMetadata:timeout:)`` on the calling thread.
    ///
    /// Only for a consumer's rebalance hook, which runs on the consumer's polling thread (never on Swift's
    /// cooperative pool): committing there, before a revoke completes, hands partitions over with their work
    /// committed.
    public func sendOffsetsNow(
        _ offsets: [TopicPartitionOffset],
        groupMetadata: ConsumerGroupMetadata,
        timeout: Duration = .seconds(30)
    ) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        try classify("send offsets to transaction") {
            rd_kafka_send_offsets_to_transaction(
                client.handle,
                list.pointer,
                groupMetadata.pointer,
                Int32(timeout.milliseconds)
            )
        }
    }

    /// ``commitTransaction(timeout:)`` on the calling thread; see ``sendOffsetsNow(_:groupMetadata:timeout:)``.
    public func commitTransactionNow(timeout: Duration = .seconds(60)) throws(KafkaError) {
        try classify("commit transaction") { Self.commit(client.handle, context: client.context, timeout: timeout) }
    }

    /// ``abortTransaction(timeout:)`` on the calling thread; see ``sendOffsetsNow(_:groupMetadata:timeout:)``.
    public func abortTransactionNow(timeout: Duration = .seconds(60)) throws(KafkaError) {
        try classify("abort transaction") { rd_kafka_abort_transaction(client.handle, Int32(timeout.milliseconds)) }
    }

    private func classify(_ operation: String, _ call: () -> OpaquePointer?) throws(KafkaError) {
        try client.checkFatal()
        if let error = call() {
            throw Self.classified(KafkaError.consuming(error, context: operation))
        }
    }

    /// librdkafka: an error with no class is to be treated as fatal for transactional producers.
    private static func classified(_ error: KafkaError) -> KafkaError {
        if !error.isRetriable && !error.requiresAbort && !error.isFatal && error.code != .timedOut {
            return KafkaError(code: error.code, reason: error.reason, isFatal: true)
        }
        return error
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
        if let failure { throw Self.classified(failure.error) }
    }
}

private struct SendableError: Sendable {
    let error: KafkaError
}
