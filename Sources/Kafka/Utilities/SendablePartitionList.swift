/// A partition list handed to a call on the client's call queue.
///
/// `@unchecked Sendable`: the list is only read or written by librdkafka during that one call, and the caller keeps
/// it alive for the call's duration.
struct SendablePartitionList: @unchecked Sendable {
    let list: RDKafkaTopicPartitionList
}
