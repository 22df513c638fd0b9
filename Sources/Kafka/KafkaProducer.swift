import Basics
import CRdKafka
public import Logging

/// A producer whose sends are awaited until the broker acknowledged them.
///
/// Idempotent by default (``KafkaProducerConfiguration/idempotent``): librdkafka retries lost requests without
/// writing a record twice, so a broker that goes down and comes back loses and duplicates nothing.
///
/// A send that finds the local queue full suspends (holding no thread) until the producer's poll thread has served
/// delivery reports, for at most ``KafkaProducerConfiguration/queueFullTimeout``.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let queueFullTimeout: Duration
    private let onQueueFullWait: (@Sendable (Duration) -> Void)?

    /// - Parameters:
    ///   - configuration: the producer's settings, turned into librdkafka properties; its
    ///     ``KafkaProducerConfiguration/queueFullTimeout`` bounds each send's wait for room.
    ///   - logger: receives librdkafka's logs and client errors.
    ///   - onQueueFullWait: called with the time a send waited for room in a full local queue, after each such
    ///     wait, whether it ended with room, timed out or was cancelled (for a metric).
    /// - Throws: ``KafkaError`` for an invalid property.
    public init(
        configuration: KafkaProducerConfiguration,
        logger: Logger,
        onQueueFullWait: (@Sendable (Duration) -> Void)? = nil
    ) throws(KafkaError) {
        self.queueFullTimeout = configuration.queueFullTimeout
        self.onQueueFullWait = onQueueFullWait
        self.client = try RDKafkaClient.make(
            kind: .producer,
            properties: configuration.properties,
            logger: logger,
            deliveryReports: true
        )
    }

    /// Sends records and waits for every delivery report.
    /// - Returns: one report per record, in the order of `records`; a failed record has an `error`.
    /// - Throws: ``KafkaError`` when a record cannot even be enqueued (the ones before it are still delivered):
    ///   ``KafkaError/Code/queueFull`` when the local queue stayed full for
    ///   ``KafkaProducerConfiguration/queueFullTimeout``, ``KafkaError/Code/interrupted`` when the task was
    ///   cancelled while waiting for room.
    public func send(_ records: [OutgoingRecord]) async throws(KafkaError) -> [DeliveryReport] {
        guard !records.isEmpty else { return [] }
        try client.checkFatal()
        let batch = DeliveryBatch(count: records.count)
        for (index, record) in records.enumerated() {
            let ticket = Unmanaged.passRetained(DeliveryTicket(batch: batch, index: index))
            do {
                try await client.produce(
                    record,
                    opaque: ticket.toOpaque(),
                    queueFullTimeout: queueFullTimeout,
                    onWait: onQueueFullWait
                )
            } catch {
                // librdkafka did not take the record: the ticket's retain is ours to release, and the records
                // not enqueued are reported as failed so that the batch completes.
                ticket.release()
                for skipped in index..<records.count {
                    batch.deliver(
                        DeliveryReport(topic: records[skipped].topic, partition: -1, offset: nil, error: error.code),
                        at: skipped
                    )
                }
                _ = await batch.wait()
                throw error
            }
        }
        return await batch.wait()
    }

    /// Sends one record and waits for its delivery report.
    /// - Throws: ``KafkaError`` if the record could not be enqueued or was not delivered.
    @discardableResult
    public func send(_ record: OutgoingRecord) async throws(KafkaError) -> DeliveryReport {
        let reports = try await send([record])
        guard let report = reports.first else { throw KafkaError.client("no delivery report") }
        if let code = report.error {
            throw KafkaError(code: code, reason: "delivery to \(record.topic) failed: \(code.name)")
        }
        return report
    }

    /// Waits until every enqueued record is delivered or failed.
    /// - Throws: ``KafkaError/Code/timedOut`` if records remain after `timeout`.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let handle = SendableOpaquePointer(pointer: client.handle)
        let milliseconds = Int32(timeout.milliseconds)
        let result = await client.blockingCalls.run { rd_kafka_flush(handle.pointer, milliseconds) }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.response(result, context: "flush")
        }
    }
}
