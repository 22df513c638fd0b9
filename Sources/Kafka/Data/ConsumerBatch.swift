/// What one poll returned: records grouped by partition, in offset order within each partition.
public struct ConsumerBatch: Sendable {
    /// The records of one partition.
    public struct PartitionRecords: Sendable {
        public var topicPartition: TopicPartition
        public var records: [ConsumedRecord]

        /// The offset to commit once every record here is processed.
        public var nextOffset: Int64? { records.last.map { $0.offset + 1 } }
    }

    public var partitions: [PartitionRecords]

    public init(partitions: [PartitionRecords]) {
        self.partitions = partitions
    }

    public var isEmpty: Bool { partitions.isEmpty }
    public var count: Int { partitions.reduce(0) { $0 + $1.records.count } }
}
