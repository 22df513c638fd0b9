/// Why a dead-letter listing or replay could not do what it was asked, with what an operator needs to act.
public struct DeadLetterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A topic to read or to replay to does not exist on the cluster.
        public static let topicNotFound = Code("topic_not_found")
        /// A record named by a reference is not in its partition (out of range, or deleted by retention).
        public static let recordNotFound = Code("record_not_found")
        /// An argument is malformed (a reference, a time, a replay id, a rate).
        public static let invalidArgument = Code("invalid_argument")
        /// The Kafka client failed (unreachable cluster, authorization, fatal producer error).
        public static let kafka = Code("kafka")
        /// A partition could not be read to its end in time (no progress for the idle timeout).
        public static let incompleteRead = Code("incomplete_read")

        /// The raw value.
        public var description: String { rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence naming the topic, partition, offset or argument at fault.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static func invalidArgument(_ message: String) -> DeadLetterError {
        DeadLetterError(code: .invalidArgument, message: message)
    }

    static func kafka(_ error: some Error, while action: String) -> DeadLetterError {
        DeadLetterError(code: .kafka, message: "Kafka failed while \(action): \(error)")
    }
}
