import CRdKafka
import Foundation

extension RDKafkaClient {
    /// Enqueues one record; librdkafka copies key, value and headers before this returns.
    ///
    /// A full local queue is waited out without holding a thread: the task suspends until the poll thread served
    /// delivery reports (which free room), then tries again, for at most `queueFullTimeout` in all.
    /// - Parameters:
    ///   - record: the record to enqueue.
    ///   - opaque: a retained per-message opaque handed back in the delivery report, or `nil`.
    ///   - queueFullTimeout: the longest wait for room in a full local queue, over all attempts.
    ///   - onWait: called with the time spent waiting for room, after a wait ended (with room, timed out or
    ///     cancelled); not called when the queue had room.
    /// - Throws: ``KafkaError`` when librdkafka refuses the record (unknown partition, record too large, fatal
    ///   producer state), ``KafkaError/Code/queueFull`` when the queue is still full after the timeout (the reason
    ///   names the limits and the settings to raise) and ``KafkaError/Code/interrupted`` when the task is cancelled
    ///   while waiting.
    func produce(
        _ record: OutgoingRecord,
        opaque: UnsafeMutableRawPointer? = nil,
        queueFullTimeout: Duration,
        onWait: ((Duration) -> Void)? = nil
    ) async throws(KafkaError) {
        var firstFull: ContinuousClock.Instant?
        defer { if let firstFull { onWait?(.now - firstFull) } }
        while true {
            let ticket = context.queueRoom.ticket()
            if try tryEnqueue(record, opaque: opaque) { return }
            let started = firstFull ?? .now
            firstFull = started
            switch await context.queueRoom.wait(after: ticket, until: started + queueFullTimeout) {
            case .retry: continue
            case .timedOut: throw queueFullError(record, waited: .now - started)
            case .cancelled:
                throw KafkaError(
                    code: .interrupted,
                    reason: "produce to \(record.topic): cancelled while waiting for room in the local queue"
                )
            }
        }
    }

    /// ``produce(_:opaque:queueFullTimeout:onWait:)`` on the calling thread, which a full queue blocks (on a
    /// semaphore the poll thread signals) until there is room or the timeout passed.
    ///
    /// For callers that cannot suspend: a thread of their own (a rebalance hook on a consumer's polling thread), or
    /// synchronous code that holds no lock the poll thread needs.
    func produceBlocking(
        _ record: OutgoingRecord,
        opaque: UnsafeMutableRawPointer? = nil,
        queueFullTimeout: Duration,
        onWait: ((Duration) -> Void)? = nil
    ) throws(KafkaError) {
        var firstFull: ContinuousClock.Instant?
        defer { if let firstFull { onWait?(.now - firstFull) } }
        while true {
            let ticket = context.queueRoom.ticket()
            if try tryEnqueue(record, opaque: opaque) { return }
            let started = firstFull ?? .now
            firstFull = started
            switch context.queueRoom.waitBlocking(after: ticket, until: started + queueFullTimeout) {
            case .retry: continue
            case .timedOut, .cancelled: throw queueFullError(record, waited: .now - started)
            }
        }
    }

    /// One enqueue attempt.
    /// - Returns: `false` when the local queue is full.
    private func tryEnqueue(_ record: OutgoingRecord, opaque: UnsafeMutableRawPointer?) throws(KafkaError) -> Bool {
        // Counted before the enqueue, so that its report can never bring the count below the records still
        // unreported.
        context.recordEnqueued()
        guard let error = enqueue(record, opaque: opaque) else { return true }
        context.recordNotEnqueued()
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return false
        }
        throw KafkaError.consuming(error, context: "produce to \(record.topic)")
    }

    /// What an operator needs when the queue stayed full: the limits in force, and which settings to raise.
    private func queueFullError(_ record: OutgoingRecord, waited: Duration) -> KafkaError {
        let messages = property("queue.buffering.max.messages") ?? "?"
        let kilobytes = property("queue.buffering.max.kbytes") ?? "?"
        return KafkaError(
            code: .queueFull,
            reason: "produce to \(record.topic): the producer's local queue stayed full for "
                + "\(waited.milliseconds) ms (\(rd_kafka_outq_len(handle)) records queued; limits "
                + "queue.buffering.max.messages=\(messages), queue.buffering.max.kbytes=\(kilobytes)): the brokers "
                + "acknowledge records more slowly than they are sent, or not at all. Raise "
                + "queue.buffering.max.messages or queue.buffering.max.kbytes for larger bursts, or find why the "
                + "brokers are slow or unreachable"
        )
    }

    private func enqueue(_ record: OutgoingRecord, opaque: UnsafeMutableRawPointer?) -> OpaquePointer? {
        // Fixed slots: topic, partition, key, value, flags, timestamp, opaque; then one per header. On the stack,
        // and every byte lent in place: librdkafka copies what it keeps (RD_KAFKA_MSG_F_COPY, headers).
        withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7 + record.headers.count) { values in
            record.topic.withCString { topic in
                withOptionalBytes(record.key) { key in
                    withOptionalBytes(record.value) { value in
                        var count = 0
                        func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
                            values[count] = rd_kafka_vu_t()
                            values[count].vtype = type
                            fill(&values[count])
                            count += 1
                        }
                        append(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                        append(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = record.partition ?? RD_KAFKA_PARTITION_UA }
                        if let key {
                            append(RD_KAFKA_VTYPE_KEY) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                                $0.u.mem.size = key.count
                            }
                        }
                        if let value {
                            append(RD_KAFKA_VTYPE_VALUE) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                                $0.u.mem.size = value.count
                            }
                        }
                        append(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                        if let timestamp = record.timestamp {
                            append(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp }
                        }
                        if let opaque {
                            append(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                        }
                        return lendHeaders(record.headers[...], into: values, from: count) { count in
                            rd_kafka_produceva(handle, values.baseAddress, count)
                        }
                    }
                }
            }
        }
    }
}

/// Fills one header slot per header from `start`, each name and value lent in place for the duration of `body`,
/// which gets the number of slots filled.
private func lendHeaders<R>(
    _ headers: ArraySlice<KafkaHeader>,
    into values: UnsafeMutableBufferPointer<rd_kafka_vu_t>,
    from start: Int,
    _ body: (Int) -> R
) -> R {
    guard let header = headers.first else { return body(start) }
    return header.key.withCString { name in
        withOptionalBytes(header.value) { value in
            values[start] = rd_kafka_vu_t()
            values[start].vtype = RD_KAFKA_VTYPE_HEADER
            values[start].u.header.name = name
            values[start].u.header.val = value?.baseAddress
            values[start].u.header.size = value?.count ?? -1
            return lendHeaders(headers.dropFirst(), into: values, from: start + 1, body)
        }
    }
}

// MARK: - Scoped C views of Swift values

private let RD_KAFKA_PARTITION_UA: Int32 = -1

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { buffer in
        // An empty array may have no base address; librdkafka wants a non-null pointer for an empty payload.
        if buffer.baseAddress == nil {
            return withUnsafeBytes(of: UInt8(0)) { body(UnsafeRawBufferPointer(rebasing: $0[0..<0])) }
        }
        return body(buffer)
    }
}
