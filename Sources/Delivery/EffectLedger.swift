public import Foundation

// MARK: - EffectKey

/// What an effect is about: a key unique within the destination (a Marketo activity's subscription and command
/// id) and the command partition it belongs to (the ledger partition it is recorded in).
public struct EffectKey: Sendable, Hashable, CustomStringConvertible {
    /// The command topic partition of the command that causes the effect.
    public var partition: Int32
    /// The effect's id, e.g. `marketo-activity/123-ABC-456/<command id>`.
    public var id: String

    /// Creates a key.
    public init(partition: Int32, id: String) {
        self.partition = partition
        self.id = id
    }

    public var description: String { "\(partition)/\(id)" }
}

// MARK: - EffectEntry

/// What the ledger knows of one effect.
public struct EffectEntry: Sendable, Hashable {
    /// Where the effect stands.
    public enum Status: String, Sendable, Hashable {
        /// The call that makes it was about to be sent (recorded before the call); whether it happened is
        /// unknown until the outcome is recorded or the CRM is read back.
        case intended
        /// The CRM has it.
        case applied
    }

    /// Where the effect stands.
    public var status: Status
    /// When it was recorded.
    public var at: Date
    /// What the sink needs to recognise the effect in the CRM (for an intent: what the call sent).
    public var detail: [String: String]

    /// Creates an entry.
    public init(status: Status, at: Date, detail: [String: String]) {
        self.status = status
        self.at = at
        self.detail = detail
    }
}

// MARK: - EffectLedger

/// The record of calls that append (a Marketo custom activity: sent twice, it exists twice), kept where the
/// command partitions are: in `<dest>.commands.ledger`, partition by partition, so it survives restarts and moves
/// with its partitions to another writer instance.
///
/// A sink uses it per call, not per batch:
/// 1. before a command's effect is sent, look it up: ``EffectEntry/Status/applied`` means done (skip);
///    ``EffectEntry/Status/intended`` means an earlier call's outcome is unknown (a crash, a lost answer) and must
///    be settled against the CRM before anything is sent again;
/// 2. ``recordIntents(_:at:)`` right before the call (it returns once Kafka has the records; no call without it);
/// 3. right after the answer, ``recordApplied(_:at:)`` for what the CRM took and ``recordAbsent(_:)`` for what
///    it refused; a call whose answer was lost records nothing, so its intents stay to be settled.
///
/// The runtime loads a partition's entries before it hands out that partition's commands, and refuses intents
/// for partitions this instance does not own (so a writer that lost a partition cannot append for it).
public final class EffectLedger: Sendable {
    let store: WriterLedger

    init(store: WriterLedger) {
        self.store = store
    }

    /// A ledger that lives in memory and owns every partition (sink tests, and sinks used without a runtime).
    public static func inMemory() -> EffectLedger {
        EffectLedger(store: WriterLedger(memoryOnly: true))
    }

    /// The entry of an effect, or nil when the ledger knows nothing of it.
    public func entry(_ key: EffectKey) -> EffectEntry? {
        store.effect(key)
    }

    /// Records that the effects are about to be sent; returns once the records are durable.
    /// - Throws: ``EffectLedgerError`` when a partition is not owned here or Kafka did not take the records:
    ///   then nothing may be sent.
    public func recordIntents(
        _ intents: [(key: EffectKey, detail: [String: String])],
        at date: Date
    )
        async throws(EffectLedgerError)
    {
        let changes = intents.map { ($0.key, Optional(EffectEntry(status: .intended, at: date, detail: $0.detail))) }
        try await store.setEffects(changes, requireOwnership: true)
    }

    /// Records that the CRM has the effects (the answer said so, or a read-back found them).
    /// - Throws: ``EffectLedgerError`` when Kafka did not take the records (the intents then stay, and a later
    ///   delivery settles them by reading the CRM).
    public func recordApplied(
        _ applied: [(key: EffectKey, detail: [String: String])],
        at date: Date
    )
        async throws(EffectLedgerError)
    {
        let changes = applied.map { ($0.key, Optional(EffectEntry(status: .applied, at: date, detail: $0.detail))) }
        try await store.setEffects(changes, requireOwnership: false)
    }

    /// Records that the effects did not happen (the CRM refused them, or a read-back did not find them): the
    /// entries are removed, and the next delivery sends them afresh.
    /// - Throws: ``EffectLedgerError`` when Kafka did not take the records.
    public func recordAbsent(_ keys: [EffectKey]) async throws(EffectLedgerError) {
        try await store.setEffects(keys.map { ($0, nil) }, requireOwnership: false)
    }
}

// MARK: - EffectLedgerError

/// Why the effect ledger could not record something.
public struct EffectLedgerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the person reading the log or the dead letter.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
