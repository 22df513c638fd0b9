public import Kafka

/// Where a record sits, written `topic/partition/offset` (`marketo.commands.dlq/3/1042`): how `leadsync dlq`
/// names dead letters, and the value of the ``ReplayHeaders/source`` header.
public struct DeadLetterReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The offset.
    public var offset: Int64

    /// Creates a reference.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// The reference of a consumed record.
    public init(_ record: ConsumedRecord) {
        self.init(topic: record.topic, partition: record.partition, offset: record.offset)
    }

    /// Parses `topic/partition/offset`; the topic may itself contain `/` (only the last two fields are numbers).
    /// - Throws: ``DeadLetterError/Code/invalidArgument`` naming the text and the expected form.
    public init(parsing text: String) throws(DeadLetterError) {
        let fields = text.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count >= 3,
            let offset = Int64(fields[fields.count - 1]), offset >= 0,
            let partition = Int32(fields[fields.count - 2]), partition >= 0
        else {
            throw .invalidArgument(
                "'\(text)' is not a record reference; expected topic/partition/offset, e.g. marketo.commands.dlq/3/1042"
            )
        }
        let topic = fields.dropLast(2).joined(separator: "/")
        guard !topic.isEmpty else {
            throw .invalidArgument("'\(text)' names no topic; expected topic/partition/offset")
        }
        self.init(topic: topic, partition: partition, offset: offset)
    }

    /// The partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// `topic/partition/offset`.
    public var description: String { "\(topic)/\(partition)/\(offset)" }

    /// By topic, then partition, then offset.
    public static func < (lhs: DeadLetterReference, rhs: DeadLetterReference) -> Bool {
        (lhs.topic, lhs.partition, lhs.offset) < (rhs.topic, rhs.partition, rhs.offset)
    }
}
