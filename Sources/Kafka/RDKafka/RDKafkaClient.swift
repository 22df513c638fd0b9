import CRdKafka
import Dispatch
import Foundation
import Logging
import Synchronization

/// Owns one `rd_kafka_t` handle, its callback context and, for producers, the thread that serves its callbacks.
///
/// `@unchecked Sendable`: `rd_kafka_t` is thread-safe; the Swift state is immutable or atomic.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    let handle: OpaquePointer
    let context: RDKafkaCallbackContext
    let blockingCalls: BlockingCallQueue
    private let pollThread: PollThread?

    private init(handle: OpaquePointer, context: RDKafkaCallbackContext, kind: Kind, label: String) {
        self.handle = handle
        self.context = context
        self.blockingCalls = BlockingCallQueue(label: "leadsync.kafka.\(label)")
        // A producer's delivery reports and errors are served by a thread of its own; a consumer's are served by
        // its polls (its main queue is forwarded to the consumer queue).
        self.pollThread =
            kind == .producer ? PollThread(handle: SendableOpaquePointer(pointer: handle), context: context) : nil
    }

    /// Creates a client from validated properties.
    /// - Throws: ``KafkaError`` for a rejected property or a client librdkafka could not create.
    static func make(
        kind: Kind,
        properties: [(String, String)],
        logger: Logger,
        deliveryReports: Bool = false,
        rebalanceCallback: Bool = false
    ) throws(KafkaError) -> RDKafkaClient {
        let config = try RDKafkaConfig(properties: properties)
        guard let conf = config.pointer else { throw KafkaError.client("configuration already consumed") }
        let context = RDKafkaCallbackContext(logger: logger, tracksDeliveries: deliveryReports)
        rd_kafka_conf_set_opaque(conf, context.opaque)
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        if deliveryReports {
            rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryCallback)
        }
        if rebalanceCallback {
            rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback)
        }
        var errorText = [CChar](repeating: 0, count: RDKafkaConfig.errorTextSize)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            // rd_kafka_new frees the configuration only on success: `config` still owns it and frees it.
            throw KafkaError(code: .invalidConfiguration, reason: String(errorBuffer: errorText))
        }
        _ = config.transferOwnership()
        return RDKafkaClient(handle: handle, context: context, kind: kind, label: kind == .producer ? "p" : "c")
    }

    deinit {
        pollThread?.stop()
        rd_kafka_destroy(handle)
    }

    /// The broker-visible name of this client instance (`rdkafka#producer-1`).
    var name: String { String(cString: rd_kafka_name(handle)) }

    /// The value of a configuration property as the handle uses it (librdkafka's default where none was set).
    func property(_ name: String) -> String? {
        guard let configuration = rd_kafka_conf(handle) else { return nil }
        var size = 0
        guard rd_kafka_conf_get(configuration, name, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(configuration, name, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return String(errorBuffer: buffer)
    }

    /// Fails if librdkafka reported a fatal error for this handle.
    func checkFatal() throws(KafkaError) {
        if let error = context.firstFatalError { throw error }
    }
}

/// Serves a producer's callbacks with `rd_kafka_poll` until stopped, and resumes the callers waiting for room in its
/// local queue (``ProduceQueueWaiters``).
///
/// The thread holds the only other reference; ``stop()`` is called by the owning client before it destroys the
/// handle, and waits for the thread to leave `rd_kafka_poll`.
private final class PollThread: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    init(handle: SendableOpaquePointer, context: RDKafkaCallbackContext) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                let served = rd_kafka_poll(handle.pointer, 50)
                context.wakeWaitersIfAllReported()
                // After the poll: librdkafka frees a reported record's queue slot once its callback returned.
                context.queueRoom.polled(served: served)
            }
            exited.signal()
        }
        thread.name = "leadsync.kafka.poll"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        exited.wait()
    }
}
