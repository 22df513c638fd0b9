import CRdKafka

/// A consumer's group metadata (group id, generation, member id), for
/// ``TransactionalProducer/sendOffsets(_:groupMetadata:timeout:)``.
///
/// `@unchecked Sendable`: an immutable snapshot that librdkafka only reads.
public final class ConsumerGroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        rd_kafka_consumer_group_metadata_destroy(pointer)
    }
}
