public import Kafka
public import LeadModel
import RecordHeaders

/// A record of a dead-letter topic (`leadsync.events.dlq`, `marketo.commands.dlq`, `salesforce.commands.dlq`) with
/// its reason headers read.
///
/// The fold and the writers append the reason headers (``DeadLetterHeaders``) after the original record's own
/// headers; where a name repeats (a replayed record that failed again, a re-keyed input), the last one is the
/// latest reason, as Kafka's convention has it.
public struct DeadLetterRecord: Sendable, Hashable {
    /// The dead letter as read.
    public var record: ConsumedRecord

    /// Creates the view of a consumed dead letter.
    public init(_ record: ConsumedRecord) {
        self.record = record
    }

    /// Where the dead letter sits.
    public var reference: DeadLetterReference { DeadLetterReference(record) }

    // MARK: - Reason

    /// The failure's class: `invalid_input` (fold), `permanent`, `transient`, `authentication`, ... (writers).
    public var errorClass: String? { header(DeadLetterHeaders.errorClass) }
    /// The decoder's or the CRM's code (`unmapped_event`, `1013`, `INVALID_FIELD`, ...).
    public var errorCode: String? { header(DeadLetterHeaders.errorCode) }
    /// The reason in words.
    public var errorMessage: String? { header(DeadLetterHeaders.errorMessage) }
    /// The field at fault, when one is.
    public var errorField: String? { header(DeadLetterHeaders.errorField) }
    /// Deliveries tried (writers) or 1 (fold).
    public var attempts: Int? { header(DeadLetterHeaders.attempts).flatMap { Int($0) } }
    /// When the first attempt failed.
    public var firstFailedAt: Timestamp? { header(DeadLetterHeaders.firstFailedAt).flatMap { Timestamp(rfc3339: $0) } }

    // MARK: - Origin

    /// The topic the record was consumed from when it failed: where a replay re-publishes it.
    public var originalTopic: String? { header(DeadLetterHeaders.originalTopic) }
    /// Its partition there.
    public var originalPartition: Int32? { header(DeadLetterHeaders.originalPartition).flatMap { Int32($0) } }
    /// Its offset there.
    public var originalOffset: Int64? { header(DeadLetterHeaders.originalOffset).flatMap { Int64($0) } }

    /// The original record's coordinates, when all three headers are present.
    public var originalReference: DeadLetterReference? {
        guard let originalTopic, let originalPartition, let originalOffset else { return nil }
        return DeadLetterReference(topic: originalTopic, partition: originalPartition, offset: originalOffset)
    }

    // MARK: - Replays

    /// The replay id of the replay that re-published the record this dead letter was made from, if any: the
    /// record failed again after a replay.
    public var replayId: String? { header(ReplayHeaders.id) }
    /// The earlier dead letter that replay re-published.
    public var replaySource: String? { header(ReplayHeaders.source) }

    // MARK: - Time and tenant

    /// When the record was dead-lettered: the record's timestamp, else the first failure's time.
    public var deadLetteredAt: Timestamp? {
        record.timestamp.map { Timestamp(millisecondsSinceEpoch: $0) } ?? firstFailedAt
    }

    /// The tenant the record belongs to: the payload's `tenant` (commands and input events), else the fold's
    /// `leadsync.tenant` header, else the lead key's prefix (`{tenant}/{email}`); `nil` when none names one.
    public var tenant: String? {
        if let tenant = PayloadFields.topLevelString("tenant", in: record.value), LeadKey.isValidTenant(tenant) {
            return tenant
        }
        if let tenant = header(Self.tenantHeader), !tenant.isEmpty { return tenant }
        if let key = record.key, let text = String(validating: key, as: UTF8.self),
            let slash = text.firstIndex(of: "/")
        {
            let prefix = String(text[..<slash])
            if LeadKey.isValidTenant(prefix) { return prefix }
        }
        return nil
    }

    /// The fold's tenant header on commands (`FoldHeaders.tenant`).
    static let tenantHeader = "leadsync.tenant"

    /// The last value of a header as text.
    public func header(_ name: String) -> String? {
        record.headers.string(for: name)
    }
}
