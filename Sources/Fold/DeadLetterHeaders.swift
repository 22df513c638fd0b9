public import Kafka

/// The headers design.md gives every dead letter: why it failed and where it came from.
public enum DeadLetterHeaders {
    public static let errorClass = "leadsync.error.class"
    public static let errorCode = "leadsync.error.code"
    public static let errorMessage = "leadsync.error.message"
    public static let errorField = "leadsync.error.field"
    public static let originalTopic = "leadsync.original.topic"
    public static let originalPartition = "leadsync.original.partition"
    public static let originalOffset = "leadsync.original.offset"
    public static let attempts = "leadsync.attempts"
    public static let firstFailedAt = "leadsync.first.failed.at"

    /// The original record's headers followed by the reason headers.
    public static func make(
        for record: ConsumedRecord,
        errorClass: String,
        code: String,
        message: String,
        field: String?,
        attempts: Int,
        firstFailedAt: String
    ) -> [KafkaHeader] {
        var headers = record.headers
        headers.append(KafkaHeader(key: Self.errorClass, string: errorClass))
        headers.append(KafkaHeader(key: errorCode, string: code))
        headers.append(KafkaHeader(key: errorMessage, string: message))
        if let field { headers.append(KafkaHeader(key: errorField, string: field)) }
        headers.append(KafkaHeader(key: originalTopic, string: record.topic))
        headers.append(KafkaHeader(key: originalPartition, string: String(record.partition)))
        headers.append(KafkaHeader(key: originalOffset, string: String(record.offset)))
        headers.append(KafkaHeader(key: Self.attempts, string: String(attempts)))
        headers.append(KafkaHeader(key: Self.firstFailedAt, string: firstFailedAt))
        return headers
    }
}
