import CRdKafka

/// An error reported by librdkafka or by this binding, with librdkafka's own classification.
///
/// Transactions need the three-way classification that librdkafka computes: ``isRetriable`` (call the same
/// function again), ``requiresAbort`` (abort the transaction, rewind the input, begin again) and ``isFatal``
/// (the producer instance is unusable; create a new one). An error with none of these flags is treated as fatal
/// by the transactional producer, as librdkafka's documentation requires.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The librdkafka error code (`rd_kafka_resp_err_t`), or one of the binding's own codes.
    public let code: Code
    /// What went wrong, in librdkafka's words where it gave any, with the topic, partition or property involved.
    public let reason: String
    /// The call is safe to repeat as it was.
    public let isRetriable: Bool
    /// The open transaction must be aborted before anything else is sent.
    public let requiresAbort: Bool
    /// The client handle cannot be used any more.
    public let isFatal: Bool

    public init(
        code: Code,
        reason: String,
        isRetriable: Bool = false,
        requiresAbort: Bool = false,
        isFatal: Bool = false
    ) {
        self.code = code
        self.reason = reason
        self.isRetriable = isRetriable
        self.requiresAbort = requiresAbort
        self.isFatal = isFatal
    }

    public var description: String {
        var flags: [String] = []
        if isRetriable { flags.append("retriable") }
        if requiresAbort { flags.append("abortable") }
        if isFatal { flags.append("fatal") }
        let suffix = flags.isEmpty ? "" : " [\(flags.joined(separator: ", "))]"
        return "\(code.name): \(reason)\(suffix)"
    }
}

// MARK: - Codes

extension KafkaError {
    /// An error code: librdkafka's `rd_kafka_resp_err_t` value, named as librdkafka names it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The raw `rd_kafka_resp_err_t` value.
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ err: rd_kafka_resp_err_t) {
            self.rawValue = err.rawValue
        }

        /// librdkafka's short name for the code, such as `_TRANSPORT` or `NOT_COORDINATOR`.
        public var name: String {
            String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue)))
        }

        public var description: String { name }

        public static let noError = Code(RD_KAFKA_RESP_ERR_NO_ERROR)
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        public static let unsupportedFeature = Code(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
        public static let invalidRequest = Code(RD_KAFKA_RESP_ERR_INVALID_REQUEST)
        public static let fenced = Code(RD_KAFKA_RESP_ERR__FENCED)
        public static let state = Code(RD_KAFKA_RESP_ERR__STATE)
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        public static let partitionEOF = Code(RD_KAFKA_RESP_ERR__PARTITION_EOF)
        public static let notCoordinator = Code(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
        public static let coordinatorNotAvailable = Code(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)
        public static let concurrentTransactions = Code(RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS)
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        public static let producerFenced = Code(RD_KAFKA_RESP_ERR_PRODUCER_FENCED)
        public static let invalidProducerEpoch = Code(RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH)
        public static let topicAuthorizationFailed = Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)

        // MARK: Codes of this binding (librdkafka has no equivalent)

        /// A configuration property was rejected by librdkafka.
        public static let invalidConfiguration = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The call was cancelled (the calling task was cancelled while it waited).
        public static let interrupted = Code(RD_KAFKA_RESP_ERR__INTR)
        /// The handle was closed before the call.
        public static let closed = Code(RD_KAFKA_RESP_ERR__DESTROY)
    }
}

// MARK: - Construction from librdkafka

extension KafkaError {
    /// Takes ownership of an `rd_kafka_error_t`, reads its classification and destroys it.
    static func consuming(_ error: OpaquePointer, context: String) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = Code(rd_kafka_error_code(error))
        let message = rd_kafka_error_string(error).map { String(cString: $0) } ?? code.name
        return KafkaError(
            code: code,
            reason: "\(context): \(message)",
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            requiresAbort: rd_kafka_error_txn_requires_abort(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    /// An error from a plain response code, described by librdkafka's `rd_kafka_err2str`.
    static func response(_ err: rd_kafka_resp_err_t, context: String) -> KafkaError {
        let code = Code(err)
        return KafkaError(code: code, reason: "\(context): \(String(cString: rd_kafka_err2str(err)))")
    }

    static func client(_ reason: String, code: Code = .invalidArgument) -> KafkaError {
        KafkaError(code: code, reason: reason)
    }
}
