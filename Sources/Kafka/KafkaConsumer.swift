import Basics
import CRdKafka
public import Logging

/// A member of a consumer group that reads records in per-partition batches.
///
/// Offsets are never committed automatically: call ``commit(_:)``, or send them in a transaction with
/// ``TransactionalProducer/sendOffsets(_:groupMetadata:timeout:)``. Rebalances are reported to the hook passed
/// at creation (see ``RebalanceEvent`` for when it runs).
///
/// One task polls at a time; the other methods may be called from anywhere.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: SendableOpaquePointer
    /// The `group.id`.
    public let groupId: String

    /// - Parameters:
    ///   - configuration: the client and group settings, turned into librdkafka properties.
    ///   - logger: receives librdkafka's logs and client errors.
    ///   - onRebalance: runs on the polling thread, inside ``poll(maxRecords:timeout:)``.
    /// - Throws: ``KafkaError`` for an invalid property.
    public init(
        configuration: KafkaConsumerConfiguration,
        logger: Logger,
        onRebalance: (@Sendable (RebalanceEvent) -> Void)? = nil
    ) throws(KafkaError) {
        let client = try RDKafkaClient.make(
            kind: .consumer,
            properties: configuration.properties,
            logger: logger,
            rebalanceCallback: true
        )
        client.context.setRebalanceHook(onRebalance)
        // Serve logs, errors and rebalances from the consumer queue, so one poll handles everything.
        rd_kafka_poll_set_consumer(client.handle)
        guard let queue = rd_kafka_queue_get_consumer(client.handle) else {
            throw KafkaError.client("the consumer has no queue (group.id missing?)")
        }
        self.client = client
        self.queue = SendableOpaquePointer(pointer: queue)
        self.groupId = configuration.groupId
    }

    deinit {
        rd_kafka_queue_destroy(queue.pointer)
    }

    /// The librdkafka handle, for the consumer's own extensions.
    var clientHandle: OpaquePointer { client.handle }

    // MARK: - Subscription

    /// Joins the group for these topics.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics {
            rd_kafka_topic_partition_list_add(list.pointer, topic, -1)  // RD_KAFKA_PARTITION_UA
        }
        let result = rd_kafka_subscribe(client.handle, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(result, context: "subscribe to \(topics.joined(separator: ", "))")
        }
    }

    /// Reads these partitions from these offsets without joining a group (replaces any previous assignment).
    ///
    /// For readers that own their positions, such as a state restore reading a changelog partition to its end;
    /// the consumer never commits, so its `group.id` is only a label. An empty list stops all fetching.
    public func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets)
        let result = rd_kafka_assign(client.handle, offsets.isEmpty ? nil : list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(result, context: "assign")
        }
    }

    /// The partitions currently assigned to this member.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(client.handle, &list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError.response(result, context: "assignment")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.partitions(of: list)
    }

    // MARK: - Polling

    /// Waits up to `timeout` for records and returns up to `maxRecords` of them, grouped by partition.
    ///
    /// Rebalance hooks run inside this call. An empty batch means nothing arrived in time.
    /// - Throws: ``KafkaError`` for a fatal consumer error or a partition error that is not transient.
    public func poll(
        maxRecords: Int = 10_000,
        timeout: Duration = .milliseconds(100)
    ) async throws(KafkaError)
        -> ConsumerBatch
    {
        try client.checkFatal()
        let queue = self.queue
        let logger = client.context.logger
        let milliseconds = Int32(timeout.milliseconds)
        return try await client.blockingCalls.run { () throws(KafkaError) -> ConsumerBatch in
            try Self.consumeBatch(
                queue: queue,
                maxRecords: maxRecords,
                timeoutMilliseconds: milliseconds,
                logger: logger
            )
        }
    }

    private static func consumeBatch(
        queue: SendableOpaquePointer,
        maxRecords: Int,
        timeoutMilliseconds: Int32,
        logger: Logger
    ) throws(KafkaError) -> ConsumerBatch {
        let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxRecords)
        defer { messages.deallocate() }
        let count = rd_kafka_consume_batch_queue(queue.pointer, timeoutMilliseconds, messages, maxRecords)
        guard count > 0 else { return ConsumerBatch(partitions: []) }

        var partitions: [ConsumerBatch.PartitionRecords] = []
        var indexByPartition: [TopicPartition: Int] = [:]
        var topicNames: [OpaquePointer: String] = [:]
        var firstError: KafkaError?
        for index in 0..<count {
            guard let message = messages[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let error = KafkaError.response(err, context: "consume")
                if err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    continue
                }
                logger.warning("kafka consume error", metadata: ["kafka.error": .string(error.description)])
                if firstError == nil, isFatalConsumeError(err) { firstError = error }
                continue
            }
            let topic: String
            if let rkt = message.pointee.rkt {
                if let cached = topicNames[rkt] {
                    topic = cached
                } else {
                    topic = String(cString: rd_kafka_topic_name(rkt))
                    topicNames[rkt] = topic
                }
            } else {
                topic = ""
            }
            let record = ConsumedRecord(
                topic: topic,
                partition: message.pointee.partition,
                offset: message.pointee.offset,
                key: bytes(message.pointee.key, message.pointee.key_len),
                value: bytes(message.pointee.payload, message.pointee.len) ?? [],
                headers: headers(of: message),
                timestamp: timestamp(of: message)
            )
            let topicPartition = record.topicPartition
            if let slot = indexByPartition[topicPartition] {
                partitions[slot].records.append(record)
            } else {
                indexByPartition[topicPartition] = partitions.count
                partitions.append(ConsumerBatch.PartitionRecords(topicPartition: topicPartition, records: [record]))
            }
        }
        if let firstError, partitions.isEmpty { throw firstError }
        return ConsumerBatch(partitions: partitions)
    }

    private static func isFatalConsumeError(_ err: rd_kafka_resp_err_t) -> Bool {
        // Broker and transport errors are retried by librdkafka itself; these mean the subscription cannot work.
        err == RD_KAFKA_RESP_ERR__FATAL || err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
            || err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED
    }

    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ length: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func timestamp(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : value
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = name.map { String(cString: $0) } ?? ""
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(key: key, value: bytes))
            index += 1
        }
        return result
    }

    // MARK: - Offsets

    /// Commits offsets synchronously (outside transactions).
    /// - Parameter offsets: for each partition, the offset of the next record to consume.
    public func commit(_ offsets: [TopicPartitionOffset]) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let handle = SendableOpaquePointer(pointer: client.handle)
        let list = SendablePartitionList(list: RDKafkaTopicPartitionList(offsets))
        let result = await client.blockingCalls.run { rd_kafka_commit(handle.pointer, list.list.pointer, 0).rawValue }
        let err = rd_kafka_resp_err_t(rawValue: result)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(err, context: "commit")
        }
        if let error = list.list.firstError(context: "commit") { throw error }
    }

    /// Commits offsets synchronously on the calling thread.
    ///
    /// For the rebalance hook, which runs on the polling thread: committing there, before a revoke completes,
    /// hands the partition over without a record being processed twice.
    public func commitNow(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        let err = rd_kafka_commit(client.handle, list.pointer, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError.response(err, context: "commit")
        }
        if let error = list.firstError(context: "commit") { throw error }
    }

    /// The group's committed offsets for these partitions; `nil` where none was committed.
    public func committed(
        _ partitions: [TopicPartition],
        timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let list = SendablePartitionList(list: RDKafkaTopicPartitionList(partitions))
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run {
            rd_kafka_committed(handle.pointer, list.list.pointer, milliseconds).rawValue
        }
        let err = rd_kafka_resp_err_t(rawValue: result)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(err, context: "committed offsets")
        }
        var offsets: [TopicPartition: Int64] = [:]
        for entry in list.list.offsets where entry.offset >= 0 {
            offsets[entry.topicPartition] = entry.offset
        }
        return offsets
    }

    /// The consumer's positions (the offset of the next record it will return); `nil` where none is known.
    public func positions(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_position(client.handle, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(result, context: "positions")
        }
        var offsets: [TopicPartition: Int64] = [:]
        for entry in list.offsets where entry.offset >= 0 {
            offsets[entry.topicPartition] = entry.offset
        }
        return offsets
    }

    /// Moves the fetch positions, for example back to the committed offsets after an aborted transaction.
    ///
    /// With a zero `timeout` the seeks are queued and the call returns at once: they take effect before any
    /// later resume or fetch of those partitions.
    public func seek(_ offsets: [TopicPartitionOffset], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let handle = SendableOpaquePointer(pointer: client.handle)
        let list = SendablePartitionList(list: RDKafkaTopicPartitionList(offsets))
        let milliseconds = Int32(timeout.milliseconds)
        let failure = await client.blockingCalls.run { () -> String? in
            guard let error = rd_kafka_seek_partitions(handle.pointer, list.list.pointer, milliseconds) else {
                return nil
            }
            return KafkaError.consuming(error, context: "seek").reason
        }
        if let failure { throw KafkaError.client(failure) }
        if milliseconds > 0, let error = list.list.firstError(context: "seek") { throw error }
    }

    /// Stops fetching these partitions; records already fetched are held back until ``resume(_:)``.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_pause_partitions(client.handle, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(result, context: "pause") }
    }

    /// Fetches these partitions again.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(partitions)
        let result = rd_kafka_resume_partitions(client.handle, list.pointer)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(result, context: "resume") }
    }

    /// The low and high watermarks (first offset, offset after the last) of a partition, asked of the broker.
    public func watermarks(
        _ partition: TopicPartition,
        timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> (low: Int64, high: Int64) {
        try await queryWatermarks(client: client, partition: partition, timeout: timeout)
    }

    /// The low and high watermarks of many partitions in two requests per leader broker (not two per partition).
    ///
    /// Asks for the offsets of the special times "earliest" and "latest" (`rd_kafka_offsets_for_times`), which is
    /// what a watermark query does partition by partition; a restore of 32 partitions of four topics makes one
    /// round of requests instead of 128 sequential ones.
    public func watermarks(
        _ partitions: [TopicPartition],
        timeout: Duration = .seconds(10)
    ) async throws(KafkaError) -> [TopicPartition: (low: Int64, high: Int64)] {
        guard !partitions.isEmpty else { return [:] }
        let low = try await offsets(at: -2, of: partitions, timeout: timeout)  // -2: ListOffsets' "earliest"
        let high = try await offsets(at: -1, of: partitions, timeout: timeout)  // -1: "latest"
        var result: [TopicPartition: (low: Int64, high: Int64)] = [:]
        for partition in partitions {
            guard let first = low[partition], let end = high[partition] else {
                throw KafkaError.client("no watermarks returned for \(partition)")
            }
            result[partition] = (first, end)
        }
        return result
    }

    private func offsets(
        at time: Int64,
        of partitions: [TopicPartition],
        timeout: Duration
    ) async throws(KafkaError) -> [TopicPartition: Int64] {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let list = SendablePartitionList(
            list: RDKafkaTopicPartitionList(partitions.map { TopicPartitionOffset(topicPartition: $0, offset: time) })
        )
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run {
            rd_kafka_offsets_for_times(handle.pointer, list.list.pointer, milliseconds).rawValue
        }
        let err = rd_kafka_resp_err_t(rawValue: result)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(err, context: "list offsets") }
        if let failure = list.list.firstError(context: "list offsets of") { throw failure }
        return Dictionary(list.list.offsets.map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: { $1 })
    }

    /// The metadata a transactional producer sends with this member's offsets.
    public func groupMetadata() throws(KafkaError) -> ConsumerGroupMetadata {
        guard let pointer = rd_kafka_consumer_group_metadata(client.handle) else {
            throw KafkaError.client("no consumer group metadata (not a group member)")
        }
        return ConsumerGroupMetadata(pointer: pointer)
    }

    /// Leaves the group (revoking the assignment through the hook first) and closes the consumer.
    public func close() async throws(KafkaError) {
        let handle = SendableOpaquePointer(pointer: client.handle)
        // rd_kafka_consumer_close serves the final revoke through the rebalance callback before leaving.
        let result = await client.blockingCalls.run { rd_kafka_consumer_close(handle.pointer).rawValue }
        let err = rd_kafka_resp_err_t(rawValue: result)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.response(err, context: "close") }
    }
}

func queryWatermarks(
    client: RDKafkaClient,
    partition: TopicPartition,
    timeout: Duration
) async throws(KafkaError) -> (low: Int64, high: Int64) {
    let handle = SendableOpaquePointer(pointer: client.handle)
    let milliseconds = Int32(timeout.milliseconds)
    let (err, low, high) = await client.blockingCalls.run { () -> (Int32, Int64, Int64) in
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_query_watermark_offsets(
            handle.pointer,
            partition.topic,
            partition.partition,
            &low,
            &high,
            milliseconds
        )
        return (err.rawValue, low, high)
    }
    let code = rd_kafka_resp_err_t(rawValue: err)
    if code != RD_KAFKA_RESP_ERR_NO_ERROR {
        throw KafkaError.response(code, context: "watermarks of \(partition)")
    }
    return (low, high)
}
