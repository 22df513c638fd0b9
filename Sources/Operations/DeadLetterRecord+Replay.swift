public import Kafka
public import LeadModel
import RecordHeaders

extension DeadLetterRecord {
    /// Headers a replayed record does not carry: the failure's reason (the replayed record starts a fresh attempt
    /// and retry budget), an earlier replay's headers, and the fold's output id of the dead letter.
    static let headersDroppedOnReplay: Set<String> = [
        DeadLetterHeaders.errorClass, DeadLetterHeaders.errorCode, DeadLetterHeaders.errorMessage,
        DeadLetterHeaders.errorField, DeadLetterHeaders.attempts, DeadLetterHeaders.firstFailedAt,
        DeadLetterHeaders.notBefore, ReplayHeaders.id, ReplayHeaders.source, ReplayHeaders.replayedAt,
        "leadsync.output.id",
    ]

    /// Origin headers: kept once (the last value), because the writers order a lead's commands by the original
    /// partition and offset: a replayed command must not count as newer than the commands that followed it.
    static let originHeaders: [String] = [
        DeadLetterHeaders.originalTopic, DeadLetterHeaders.originalPartition, DeadLetterHeaders.originalOffset,
    ]

    /// The record a replay publishes: the original key and value, to `target`, with the original's own headers,
    /// the origin headers once, and ``ReplayHeaders`` naming the replay and this dead letter.
    public func replayRecord(replayId: String, target: TopicPartition, at now: Timestamp) -> OutgoingRecord {
        var headers = record.headers.filter {
            !Self.headersDroppedOnReplay.contains($0.key) && !Self.originHeaders.contains($0.key)
        }
        for name in Self.originHeaders {
            if let value = header(name) { headers.append(KafkaHeader(key: name, string: value)) }
        }
        headers.append(KafkaHeader(key: ReplayHeaders.id, string: replayId))
        headers.append(KafkaHeader(key: ReplayHeaders.source, string: reference.description))
        headers.append(KafkaHeader(key: ReplayHeaders.replayedAt, string: now.rfc3339))
        return OutgoingRecord(
            topic: target.topic,
            partition: target.partition,
            key: record.key,
            value: record.value,
            headers: headers
        )
    }
}
