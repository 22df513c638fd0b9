public import LeadModel

// MARK: - RecordIntent

/// What a simulated record is meant to be, so that a test can compute what the worker must do with it.
public struct RecordIntent: Sendable, Hashable {
    /// The role of the record in the stream.
    public enum Kind: Sendable, Hashable {
        /// A valid event, produced for the first time.
        case valid
        /// The exact key and value of an earlier valid record of the same lead, produced again (same `eventId`).
        case duplicate
        /// A record that cannot be folded, and why.
        case poison(PoisonKind)
    }

    /// How the Kafka key relates to the lead's canonical key `{tenant}/{lowercased, trimmed email}`.
    public enum KeyForm: Sendable, Hashable {
        /// The key is exactly ``RecordIntent/leadKey``.
        case canonical
        /// The record has no key.
        case absent
        /// The key names the lead in another form (case, whitespace): the fold must re-key it.
        case nonCanonical
    }

    /// The role of the record.
    public var kind: Kind
    /// The canonical key `{tenant}/{email}` of the lead the record belongs to. For ``PoisonKind/unknownTenant``
    /// it is the key under the unconfigured tenant that the body names.
    public var leadKey: String
    /// The key's form.
    public var keyForm: KeyForm
    /// The event id in the body; `nil` when the body has none (a missing `eventId`) or is not JSON.
    public var eventId: String?
    /// The `occurredAt` of a valid record or a duplicate (`nil` for poison).
    public var occurredAt: Timestamp?
    /// Whether a valid record is produced after a record of the same lead and topic with a later `occurredAt`
    /// (always `false` for duplicates and poison).
    public var isDeliveredLate: Bool

    /// Creates an intent.
    public init(
        kind: Kind,
        leadKey: String,
        keyForm: KeyForm,
        eventId: String?,
        occurredAt: Timestamp?,
        isDeliveredLate: Bool
    ) {
        self.kind = kind
        self.leadKey = leadKey
        self.keyForm = keyForm
        self.eventId = eventId
        self.occurredAt = occurredAt
        self.isDeliveredLate = isDeliveredLate
    }

    /// Whether the Kafka key is the canonical lead key (a record without a key is not canonical).
    public var isKeyCanonical: Bool { keyForm == .canonical }

    /// Whether the record is a valid event produced for the first time.
    public var isValid: Bool { kind == .valid }

    /// Whether the record repeats an earlier one.
    public var isDuplicate: Bool { kind == .duplicate }

    /// The poison kind, when the record is poison.
    public var poisonKind: PoisonKind? {
        if case .poison(let poisonKind) = kind { return poisonKind }
        return nil
    }
}
