// MARK: - SimulatedRecord

/// One Kafka record of a simulated stream: where it goes, its key and value, and what it is meant to be.
public struct SimulatedRecord: Sendable, Hashable {
    /// The topic (the plan's attendee or engagement topic).
    public var topic: String
    /// The Kafka key, or `nil` for a record produced without one.
    public var key: [UInt8]?
    /// The record value: UTF-8 JSON per the input contract (or, for poison, deliberately not).
    public var value: [UInt8]
    /// What the record is meant to be.
    public var intent: RecordIntent

    /// Creates a record.
    public init(topic: String, key: [UInt8]?, value: [UInt8], intent: RecordIntent) {
        self.topic = topic
        self.key = key
        self.value = value
        self.intent = intent
    }
}
