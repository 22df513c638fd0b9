import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`.
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        // rd_kafka_topic_partition_list_new only fails on allocation failure, which librdkafka aborts on.
        self.pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    convenience init(_ partitions: [TopicPartition]) {
        self.init(capacity: partitions.count)
        for partition in partitions {
            rd_kafka_topic_partition_list_add(pointer, partition.topic, partition.partition)
        }
    }

    convenience init(_ offsets: [TopicPartitionOffset]) {
        self.init(capacity: offsets.count)
        for entry in offsets {
            let element = rd_kafka_topic_partition_list_add(
                pointer,
                entry.topicPartition.topic,
                entry.topicPartition.partition
            )
            element?.pointee.offset = entry.offset
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Reads a list that librdkafka owns (for example in a rebalance callback) without taking it over.
    static func partitions(
        of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) -> [TopicPartition] {
        elements(of: list).map { TopicPartition(topic: $0.topic, partition: $0.partition) }
    }

    static func elements(
        of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) -> [(topic: String, partition: Int32, offset: Int64, error: rd_kafka_resp_err_t)] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return (String(cString: element.topic), element.partition, element.offset, element.err)
        }
    }

    var offsets: [TopicPartitionOffset] {
        Self.elements(of: pointer).map {
            TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset)
        }
    }

    /// The first per-partition error, if any, as a ``KafkaError``.
    func firstError(context: String) -> KafkaError? {
        for element in Self.elements(of: pointer) where element.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError.response(element.error, context: "\(context) \(element.topic)[\(element.partition)]")
        }
        return nil
    }
}

/// A partition list carried into a blocking call on ``BlockingCallQueue``.
///
/// `@unchecked Sendable`: the list is only read or written by librdkafka during that one call, and the caller keeps
/// it alive (and does not touch it) until the call returned.
struct SendablePartitionList: @unchecked Sendable {
    let list: RDKafkaTopicPartitionList
}
