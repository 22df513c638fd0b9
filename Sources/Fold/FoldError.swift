public import Kafka

/// Why the fold stopped, with what an operator needs to act.
public struct FoldError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: String, Sendable {
        /// A Kafka call failed in a way the fold does not recover from by itself.
        case kafka
        /// The input, changelog and command topics do not have the same partition count.
        case topicLayout = "topic_layout"
        /// A stored lead state or changelog record does not decode.
        case corruptState = "corrupt_state"
        /// A restore did not reach the end of a partition in time.
        case restoreTimeout = "restore_timeout"
    }

    /// The kind of failure.
    public var kind: Kind
    /// What happened, where.
    public var message: String
    /// The Kafka error behind a `kafka` failure.
    public var kafkaError: KafkaError?

    public init(kind: Kind, message: String, kafkaError: KafkaError? = nil) {
        self.kind = kind
        self.message = message
        self.kafkaError = kafkaError
    }

    static func kafka(_ error: KafkaError, _ operation: String) -> FoldError {
        FoldError(kind: .kafka, message: "\(operation): \(error)", kafkaError: error)
    }

    public var description: String { "fold \(kind.rawValue) error: \(message)" }
}
