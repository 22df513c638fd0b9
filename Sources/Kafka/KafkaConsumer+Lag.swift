import CRdKafka

extension KafkaConsumer {
    /// Records behind the end of each partition: the high watermark last seen in a fetch response minus the
    /// consumer's position. Local (no broker round trip), so cheap enough for every metrics tick; partitions
    /// with no position or no fetched watermark yet are left out.
    public func lag(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        let positions = try positions(partitions)
        var lag: [TopicPartition: Int64] = [:]
        for partition in partitions {
            guard let position = positions[partition] else { continue }
            var low: Int64 = -1
            var high: Int64 = -1
            let result = rd_kafka_get_watermark_offsets(
                clientHandle,
                partition.topic,
                partition.partition,
                &low,
                &high
            )
            guard result == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { continue }
            lag[partition] = max(0, high - position)
        }
        return lag
    }
}
