public import Kafka

/// A partition and the offsets it holds when it was asked: `low..<high`.
public struct PartitionExtent: Hashable, Sendable {
    /// The partition.
    public var partition: TopicPartition
    /// The first offset still held (older ones were deleted by retention).
    public var low: Int64
    /// The offset after the last record.
    public var high: Int64

    /// Creates an extent.
    public init(partition: TopicPartition, low: Int64, high: Int64) {
        self.partition = partition
        self.low = low
        self.high = high
    }

    /// How many offsets the partition holds (records, plus transaction markers on a real cluster).
    public var count: Int64 { max(0, high - low) }
}
