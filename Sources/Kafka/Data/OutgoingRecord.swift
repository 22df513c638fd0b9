/// A record to produce.
public struct OutgoingRecord: Sendable, Hashable {
    public var topic: String
    /// An explicit partition, or `nil` to let the configured partitioner choose from the key.
    public var partition: Int32?
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone (deletes the key in a compacted topic).
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// Milliseconds since the Unix epoch, or `nil` for the time of sending.
    public var timestamp: Int64?

    public init(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
