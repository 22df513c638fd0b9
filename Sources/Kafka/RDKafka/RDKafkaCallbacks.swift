import Basics
import CRdKafka
import Dispatch
import Logging
import Synchronization

// The one place where C callbacks cross into Swift.
//
// Lifetime rule: every callback reaches Swift through the client's opaque, an *unretained*
// `RDKafkaCallbackContext`. The owning `RDKafkaClient` keeps the context alive and destroys the `rd_kafka_t`
// in its `deinit` before the context is released, so no callback can run on a freed context.
// Per-message delivery opaques are *retained* `DeliveryTicket`s, released exactly once in the delivery callback.

/// Swift-side state the C callbacks need: the logger, the rebalance hook, the assignment protocol.
///
/// `@unchecked Sendable`: its mutable parts sit behind a `Mutex`; the rest is immutable.
final class RDKafkaCallbackContext: @unchecked Sendable {
    let logger: Logger
    private let rebalanceHook: Mutex<(@Sendable (RebalanceEvent) -> Void)?>
    /// Errors reported through `error_cb` since the last check; fatal ones make the client unusable.
    private let fatalError: Mutex<KafkaError?>
    /// Per partition, the offset after the highest delivered record that had no ticket (transactional sends).
    private let delivered: Mutex<[TopicPartition: Int64]>
    /// Transactional sends that failed since the client was created, and the code of the latest.
    private let failed: Mutex<(count: Int, latest: KafkaError.Code?)>
    /// Whether the delivery callback is set: only then are records counted until reported.
    let tracksDeliveries: Bool
    /// Records enqueued and not reported yet.
    private let unreported = Atomic<Int>(0)
    /// Callers of ``waitUntilReported(timeout:)`` waiting for `unreported` to reach zero.
    private let reportWaiters = Mutex<[DispatchSemaphore]>([])
    /// Producers waiting for room in the local queue; resumed by the poll thread.
    let queueRoom = ProduceQueueWaiters()

    init(logger: Logger, tracksDeliveries: Bool = false) {
        self.logger = logger
        self.rebalanceHook = Mutex(nil)
        self.fatalError = Mutex(nil)
        self.delivered = Mutex([:])
        self.failed = Mutex((0, nil))
        self.tracksDeliveries = tracksDeliveries
    }

    // MARK: Records awaiting their report
    //
    // `rd_kafka_flush`, which `rd_kafka_commit_transaction` calls, re-checks the count of outstanding messages only
    // every 10 ms while another thread (ours) serves the delivery reports: a commit would wait 10 ms for records
    // delivered in one. Waiting for our own count first, woken as soon as the last report was served, leaves the
    // flush nothing to wait for.

    /// A record was enqueued; its delivery report will follow.
    func recordEnqueued() {
        if tracksDeliveries { unreported.add(1, ordering: .relaxed) }
    }

    /// A record counted by ``recordEnqueued()`` was refused: no report will follow.
    func recordNotEnqueued() {
        if tracksDeliveries { unreported.subtract(1, ordering: .relaxed) }
    }

    /// A record's delivery report was served (from the delivery callback).
    func recordReported() {
        unreported.subtract(1, ordering: .releasing)
    }

    /// Wakes the waiters once no record is awaiting its report. Called by the poll thread after each
    /// `rd_kafka_poll`, when librdkafka has released the messages it reported, so that a flush which follows finds
    /// none outstanding.
    func wakeWaitersIfAllReported() {
        guard unreported.load(ordering: .acquiring) <= 0 else { return }
        let waiters = reportWaiters.withLock { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiters { waiter.signal() }
    }

    /// Blocks until every record enqueued so far was reported, or `timeout` passed.
    /// - Returns: `false` on timeout.
    func waitUntilReported(timeout: Duration) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        let mustWait = reportWaiters.withLock { waiters in
            // Checked under the lock the poll thread takes to wake waiters: a report served after this check
            // finds the semaphore registered.
            guard unreported.load(ordering: .acquiring) > 0 else { return false }
            waiters.append(semaphore)
            return true
        }
        guard mustWait else { return true }
        return semaphore.wait(timeout: .now() + .milliseconds(timeout.milliseconds)) == .success
    }

    func recordFailedDelivery(_ code: KafkaError.Code) {
        failed.withLock { $0 = ($0.count + 1, code) }
    }

    var failedDeliveries: (count: Int, latest: KafkaError.Code?) { failed.withLock { $0 } }

    func recordDelivered(_ partition: TopicPartition, offset: Int64) {
        delivered.withLock { offsets in
            if offset >= offsets[partition, default: 0] { offsets[partition] = offset + 1 }
        }
    }

    var deliveredEndOffsets: [TopicPartition: Int64] { delivered.withLock { $0 } }

    func setRebalanceHook(_ hook: (@Sendable (RebalanceEvent) -> Void)?) {
        rebalanceHook.withLock { $0 = hook }
    }

    func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned([]), .revoked([]), .lost([]):
            return  // cooperative rebalances report empty increments; they change nothing
        default:
            break
        }
        let hook = rebalanceHook.withLock { $0 }
        hook?(event)
    }

    func recordFatal(_ error: KafkaError) {
        fatalError.withLock { if $0 == nil { $0 = error } }
    }

    var firstFatalError: KafkaError? { fatalError.withLock { $0 } }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbackContext? {
        opaque.map { Unmanaged<RDKafkaCallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// One awaited delivery: a record's report goes to its batch at its index.
final class DeliveryTicket {
    let batch: DeliveryBatch
    let index: Int

    init(batch: DeliveryBatch, index: Int) {
        self.batch = batch
        self.index = index
    }
}

/// Collects the delivery reports of one `send` call and resumes its caller when the last one arrives.
///
/// `@unchecked Sendable`: all mutable state is behind the `Mutex`.
final class DeliveryBatch: @unchecked Sendable {
    private struct State {
        var reports: [DeliveryReport?]
        var remaining: Int
        var continuation: CheckedContinuation<[DeliveryReport], Never>?
        var finished: [DeliveryReport]?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(reports: Array(repeating: nil, count: count), remaining: count))
    }

    func deliver(_ report: DeliveryReport, at index: Int) {
        let resume: (CheckedContinuation<[DeliveryReport], Never>, [DeliveryReport])? = state.withLock { state in
            state.reports[index] = report
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            let reports = state.reports.compactMap { $0 }
            if let continuation = state.continuation {
                state.continuation = nil
                return (continuation, reports)
            }
            state.finished = reports
            return nil
        }
        if let (continuation, reports) = resume {
            continuation.resume(returning: reports)
        }
    }

    func wait() async -> [DeliveryReport] {
        await withCheckedContinuation { continuation in
            let done: [DeliveryReport]? = state.withLock { state in
                if let finished = state.finished { return finished }
                state.continuation = continuation
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}

// MARK: - C callbacks

private func logLevel(_ syslogLevel: Int32) -> Logger.Level {
    switch syslogLevel {
    case ...3: .error
    case 4: .warning
    case 5, 6: .info
    default: .debug
    }
}

let rdKafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle,
    level,
    facility,
    message in
    guard let handle, let context = RDKafkaCallbackContext.from(rd_kafka_opaque(handle)) else { return }
    let text = message.map { String(cString: $0) } ?? ""
    let facilityText = facility.map { String(cString: $0) } ?? ""
    context.logger.log(
        level: logLevel(level),
        "librdkafka",
        metadata: ["kafka.facility": .string(facilityText), "kafka.message": .string(text)]
    )
}

let rdKafkaErrorCallback:
    @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        handle,
        err,
        reason,
        opaque in
        guard let context = RDKafkaCallbackContext.from(opaque) else { return }
        let code = rd_kafka_resp_err_t(rawValue: err)
        let text = reason.map { String(cString: $0) } ?? ""
        if code == RD_KAFKA_RESP_ERR__FATAL, let handle {
            var buffer = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(handle, &buffer, buffer.count)
            let error = KafkaError(
                code: KafkaError.Code(original),
                reason: String(errorBuffer: buffer),
                isFatal: true
            )
            context.recordFatal(error)
            context.logger.error("kafka fatal error", metadata: ["kafka.error": .string(error.description)])
        } else {
            // Most of these are transient (a broker restarting); librdkafka retries them by itself.
            context.logger.warning(
                "kafka client error",
                metadata: ["kafka.error": .string("\(String(cString: rd_kafka_err2name(code))): \(text)")]
            )
        }
    }

let rdKafkaDeliveryCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _,
        message,
        contextOpaque in
        guard let message else { return }
        let context = RDKafkaCallbackContext.from(contextOpaque)
        context?.recordReported()
        guard let opaque = message.pointee._private else {
            // No ticket: a transactional send. Only the delivered position, or the failure, is kept.
            guard let context else { return }
            if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                context.recordFailedDelivery(KafkaError.Code(message.pointee.err))
            } else if let rkt = message.pointee.rkt {
                let partition = TopicPartition(
                    topic: String(cString: rd_kafka_topic_name(rkt)),
                    partition: message.pointee.partition
                )
                context.recordDelivered(partition, offset: message.pointee.offset)
            }
            return
        }
        let ticket = Unmanaged<DeliveryTicket>.fromOpaque(opaque).takeRetainedValue()
        let failed = message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let report = DeliveryReport(
            topic: topic,
            partition: message.pointee.partition,
            offset: failed ? nil : message.pointee.offset,
            error: failed ? KafkaError.Code(message.pointee.err) : nil
        )
        ticket.batch.deliver(report, at: ticket.index)
    }

let rdKafkaRebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { handle, err, partitions, opaque in
        guard let handle, let partitions, let context = RDKafkaCallbackContext.from(opaque) else { return }
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        let moved = RDKafkaTopicPartitionList.partitions(of: partitions)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, partitions) {
                    context.logger.error(
                        "incremental assign failed",
                        metadata: ["kafka.error": .string(KafkaError.consuming(error, context: "assign").description)]
                    )
                }
            } else {
                rd_kafka_assign(handle, partitions)
            }
            context.rebalanced(.assigned(moved))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            context.rebalanced(rd_kafka_assignment_lost(handle) != 0 ? .lost(moved) : .revoked(moved))
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    context.logger.error(
                        "incremental unassign failed",
                        metadata: ["kafka.error": .string(KafkaError.consuming(error, context: "unassign").description)]
                    )
                }
            } else {
                rd_kafka_assign(handle, nil)
            }
        default:
            context.logger.error(
                "rebalance failed",
                metadata: ["kafka.error": .string(String(cString: rd_kafka_err2str(err)))]
            )
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    rd_kafka_error_destroy(error)
                }
            } else {
                rd_kafka_assign(handle, nil)
            }
        }
    }
