import CRdKafka
import Foundation

extension RDKafkaClient {
    /// Enqueues one record; librdkafka copies key, value and headers before this returns.
    ///
    /// A full local queue is waited out here (the poll thread drains it) for at most `queueFullTimeout`, so a
    /// burst slows the caller down instead of failing it.
    /// - Parameter opaque: a retained per-message opaque handed back in the delivery report, or `nil`.
    /// - Throws: ``KafkaError`` when librdkafka refuses the record (unknown partition, record too large, fatal
    ///   producer state, queue still full after the timeout).
    func produce(
        _ record: OutgoingRecord,
        opaque: UnsafeMutableRawPointer? = nil,
        queueFullTimeout: Duration = .seconds(30)
    ) throws(KafkaError) {
        var waited = Duration.zero
        while true {
            let error = enqueue(record, opaque: opaque)
            guard let error else { return }
            let code = rd_kafka_error_code(error)
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL, waited < queueFullTimeout {
                rd_kafka_error_destroy(error)
                Thread.sleep(forTimeInterval: 0.001)
                waited += .milliseconds(1)
                continue
            }
            throw KafkaError.consuming(error, context: "produce to \(record.topic)")
        }
    }

    private func enqueue(_ record: OutgoingRecord, opaque: UnsafeMutableRawPointer?) -> OpaquePointer? {
        // Fixed slots: topic, partition, key, value, flags, timestamp, opaque; then one per header.
        var values = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7 + record.headers.count)
        return record.topic.withCString { topic in
            withOptionalBytes(record.key) { key in
                withOptionalBytes(record.value) { value in
                    var count = 0
                    func append(_ type: rd_kafka_vtype_t, _ fill: (inout rd_kafka_vu_t) -> Void) {
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
                    if record.headers.isEmpty {
                        return rd_kafka_produceva(handle, &values, count)
                    }
                    return withHeaders(record.headers) { headers in
                        for header in headers {
                            append(RD_KAFKA_VTYPE_HEADER) {
                                $0.u.header.name = header.name
                                $0.u.header.val = header.value
                                $0.u.header.size = header.size
                            }
                        }
                        return rd_kafka_produceva(handle, &values, count)
                    }
                }
            }
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

private struct CHeader {
    var name: UnsafePointer<CChar>
    var value: UnsafeRawPointer?
    var size: Int
}

/// Lends C strings and buffers for every header for the duration of `body`.
private func withHeaders<R>(_ headers: [KafkaHeader], _ body: ([CHeader]) -> R) -> R {
    var names: [UnsafeMutablePointer<CChar>] = []
    var values: [UnsafeMutableRawPointer?] = []
    defer {
        names.forEach { free($0) }
        values.forEach { free($0) }
    }
    var views: [CHeader] = []
    views.reserveCapacity(headers.count)
    for header in headers {
        guard let name = strdup(header.key) else { continue }
        names.append(name)
        if let value = header.value {
            let copy = malloc(max(value.count, 1))
            value.withUnsafeBytes { source in
                if let base = source.baseAddress { copy?.copyMemory(from: base, byteCount: value.count) }
            }
            values.append(copy)
            views.append(CHeader(name: UnsafePointer(name), value: UnsafeRawPointer(copy), size: value.count))
        } else {
            views.append(CHeader(name: UnsafePointer(name), value: nil, size: -1))
        }
    }
    return body(views)
}
