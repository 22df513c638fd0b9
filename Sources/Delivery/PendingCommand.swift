import Foundation
import Kafka
import LeadModel
import RecordHeaders

// MARK: - PendingCommand

/// A consumed command on its way to the CRM, with where it came from and what happened to it so far.
struct PendingCommand: Sendable {
    /// The record as consumed (from the command topic or the retry topic): its coordinates are what is committed.
    var record: ConsumedRecord
    var command: Command
    /// Where the command was first written (its order among the lead's commands).
    var order: CommandOrder
    /// ``coalescingKey(of:)`` of the command: the key of its order mark in the ledger.
    var orderKey: String
    /// Failed deliveries so far (rate limits and spent quotas do not count).
    var attempts: Int
    var firstFailedAt: Date?
    /// When it may be delivered (retries).
    var notBefore: Date?
    /// When it was queued (for the linger).
    var queuedAt: ContinuousClock.Instant = .now

    var source: TopicPartition { record.topicPartition }
    /// The key of this consumed record's routed mark in the ledger.
    var routedKey: String {
        WriterLedger.routedKey(topic: record.topic, partition: record.partition, offset: record.offset)
    }
    var tenant: String { command.tenant }

    /// Reads a command record of the command topic or the retry topic.
    static func decode(_ record: ConsumedRecord) throws(CommandCodec.DecodingError) -> PendingCommand {
        let command = try CommandCodec.decode(record.value)
        let headers = record.headers
        let originPartition = headers.string(for: DeadLetterHeaders.originalPartition).flatMap { Int32($0) }
        let originOffset = headers.string(for: DeadLetterHeaders.originalOffset).flatMap { Int64($0) }
        let order =
            if let originPartition, let originOffset {
                CommandOrder(partition: originPartition, offset: originOffset)
            } else {
                CommandOrder(partition: record.partition, offset: record.offset)
            }
        return PendingCommand(
            record: record,
            command: command,
            order: order,
            orderKey: coalescingKey(of: command),
            attempts: headers.string(for: DeadLetterHeaders.attempts).flatMap { Int($0) } ?? 0,
            firstFailedAt: headers.string(for: DeadLetterHeaders.firstFailedAt).flatMap(RoutedRecord.parseDate),
            notBefore: headers.string(for: DeadLetterHeaders.notBefore).flatMap { Int64($0) }.map {
                Date(timeIntervalSince1970: Double($0) / 1000)
            }
        )
    }
}

// MARK: - RoutedRecord

/// Builds the records a writer routes commands to: the retry topic and the dead-letter topic.
enum RoutedRecord {
    /// Reason headers replaced on every routing; everything else of the original is kept.
    private static let reasonHeaders: Set<String> = [
        DeadLetterHeaders.errorClass, DeadLetterHeaders.errorCode, DeadLetterHeaders.errorMessage,
        DeadLetterHeaders.errorField, DeadLetterHeaders.attempts, DeadLetterHeaders.firstFailedAt,
        DeadLetterHeaders.notBefore,
    ]

    /// The original's key, value and headers, plus why and where from (the first origin is kept across retries).
    static func make(
        topic: String,
        for pending: PendingCommand,
        failure: DeliveryFailure,
        attempts: Int,
        firstFailedAt: Date,
        notBefore: Date?
    ) -> OutgoingRecord {
        var headers = pending.record.headers.filter { !reasonHeaders.contains($0.key) }
        let hasOrigin = headers.contains { $0.key == DeadLetterHeaders.originalOffset }
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorClass, string: failure.errorClass.rawValue))
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorCode, string: failure.code))
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorMessage, string: String(failure.message.prefix(2000))))
        if !hasOrigin {
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalTopic, string: pending.record.topic))
            headers.append(
                KafkaHeader(key: DeadLetterHeaders.originalPartition, string: String(pending.record.partition))
            )
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalOffset, string: String(pending.record.offset)))
        }
        headers.append(KafkaHeader(key: DeadLetterHeaders.attempts, string: String(attempts)))
        headers.append(KafkaHeader(key: DeadLetterHeaders.firstFailedAt, string: formatDate(firstFailedAt)))
        if let notBefore {
            headers.append(
                KafkaHeader(
                    key: DeadLetterHeaders.notBefore,
                    string: String(Int64(notBefore.timeIntervalSince1970 * 1000))
                )
            )
        }
        return OutgoingRecord(topic: topic, key: pending.record.key, value: pending.record.value, headers: headers)
    }

    /// A dead letter for a record that is not a command at all.
    static func undecodable(topic: String, record: ConsumedRecord, message: String, now: Date) -> OutgoingRecord {
        var headers = record.headers.filter { !reasonHeaders.contains($0.key) }
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorClass, string: DeliveryErrorClass.permanent.rawValue))
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorCode, string: "invalid_command"))
        headers.append(KafkaHeader(key: DeadLetterHeaders.errorMessage, string: message))
        if !headers.contains(where: { $0.key == DeadLetterHeaders.originalOffset }) {
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalTopic, string: record.topic))
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalPartition, string: String(record.partition)))
            headers.append(KafkaHeader(key: DeadLetterHeaders.originalOffset, string: String(record.offset)))
        }
        headers.append(KafkaHeader(key: DeadLetterHeaders.attempts, string: "0"))
        headers.append(KafkaHeader(key: DeadLetterHeaders.firstFailedAt, string: formatDate(now)))
        return OutgoingRecord(topic: topic, key: record.key, value: record.value, headers: headers)
    }

    static func formatDate(_ date: Date) -> String {
        Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down))).description
    }

    static func parseDate(_ text: String) -> Date? {
        Timestamp(rfc3339: text).map { Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1000) }
    }
}
