/// A C handle carried across concurrency domains.
///
/// `@unchecked Sendable`: librdkafka's handles (`rd_kafka_t`, queues, mock clusters) are thread-safe by
/// librdkafka's contract; the owning Swift type guarantees the pointer outlives every use.
struct SendableOpaquePointer: @unchecked Sendable {
    let pointer: OpaquePointer
}
