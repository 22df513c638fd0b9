public import Kafka

/// The headers docs/architecture.md gives every dead letter: why it failed and where it came from. Retry records carry
/// the same headers (the last failure's reason) plus ``notBefore``.
public enum DeadLetterHeaders {
    /// On a `*.commands.retry` record: the earliest time of the next attempt, in milliseconds since 1970.
    public static let notBefore = "leadsync.retry.not.before"
    /// The failure's class (`permanent`, `transient`, `quota_exhausted`, ...).
    public static let errorClass = "leadsync.error.class"
    /// The CRM's or the decoder's code.
    public static let errorCode = "leadsync.error.code"
    /// What a person needs to act.
    public static let errorMessage = "leadsync.error.message"
    /// The field at fault, when one is.
    public static let errorField = "leadsync.error.field"
    /// Where the record was first consumed.
    public static let originalTopic = "leadsync.original.topic"
    /// Its partition.
    public static let originalPartition = "leadsync.original.partition"
    /// Its offset.
    public static let originalOffset = "leadsync.original.offset"
    /// Deliveries tried so far.
    public static let attempts = "leadsync.attempts"
    /// When the first attempt failed (RFC 3339).
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
