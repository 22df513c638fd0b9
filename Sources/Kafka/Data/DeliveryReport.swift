/// The broker's answer for one produced record.
public struct DeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The offset the record was written at, or `nil` when delivery failed.
    public var offset: Int64?
    /// Why delivery failed, if it did.
    public var error: KafkaError.Code?

    public var isDelivered: Bool { error == nil }
}
