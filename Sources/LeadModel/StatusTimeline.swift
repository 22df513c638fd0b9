// MARK: - StatusTimeline

/// A lead's status-affecting events in one virtual event, in event time: what the fold needs to fold a late event
/// in where it belongs instead of where it arrived.
///
/// The entries are the lead's valid, de-duplicated attendee statuses and the engagements that meet the tenant's
/// ``ParticipatedRule`` (the candidates for a derived `Participated`), sorted by ``TimelineKey`` (`occurredAt`,
/// then the event id's digest). The status is what ``LeadFold/step(_:_:rules:)`` gives when it is applied to them
/// in that order, from the ``base``: so arrival order never changes it.
///
/// At most ``entryLimit`` entries are kept. Beyond that the oldest are folded into the ``base`` (their result and
/// the key of the last of them, the horizon). An event at or before the horizon cannot be placed any more: it is
/// rejected as ``TransitionRejection/Reason/beyondHorizon`` (a repeat of an evicted event is one of those). So the
/// status is independent of arrival order as long as a lead's late events arrive before 64 newer ones of the same
/// virtual event have.
public struct StatusTimeline: Sendable, Hashable {
    /// How many entries a timeline keeps before the oldest are folded into its base.
    public static let entryLimit = 64

    /// The virtual event.
    public var virtualEventId: String
    /// The fold of the entries evicted beyond ``entryLimit``, or `nil` when none was.
    public var base: TimelineBase?
    /// The retained entries, sorted by ``TimelineEntry/key``.
    public private(set) var entries: [TimelineEntry]
    /// Which entry set the current status (cached: the fast path and ``LeadState/memberships`` need no re-fold).
    public private(set) var resultSource: ResultSource

    /// Where the current status comes from.
    public enum ResultSource: Sendable, Hashable {
        /// No status (an empty timeline without a base).
        case none
        /// The base's result.
        case base
        /// The entry at this index.
        case entry(Int)
    }

    /// Creates a timeline; `resultSource` must be what folding `entries` from `base` gives (the codec stores it).
    public init(
        virtualEventId: String,
        base: TimelineBase? = nil,
        entries: [TimelineEntry] = [],
        resultSource: ResultSource = .none
    ) {
        self.virtualEventId = virtualEventId
        self.base = base
        self.entries = entries
        self.resultSource = resultSource
    }

    /// The current status and the entry that set it, or `nil` when there is none.
    public var result: TimelineResult? {
        switch resultSource {
        case .none: nil
        case .base: base?.result
        case .entry(let index): entries.indices.contains(index) ? entries[index].result : nil
        }
    }

    /// The highest step the lead reached in this virtual event, in event time: where Marketo, which never moves a
    /// member to a lower step, may still hold it after a correction downward (`nil` for an empty timeline).
    ///
    /// Folded in time order, every status entry either applies or meets a status of at least its step, and every
    /// engagement candidate either derives `Participated` or meets a status above `Attended`; so the highest step
    /// of the fold is the highest of its entries' steps (60 for a candidate) and its base's, with no rules needed.
    public var highestStep: Int? {
        var highest = base?.result?.status.step
        for entry in entries {
            let step =
                switch entry.kind {
                case .status(let status, _): status.step
                case .engagement: ChannelStatus.participated.step
                }
            highest = max(highest ?? step, step)
        }
        return highest
    }

    /// Whether an event with this digest is retained (a repeat of it is a duplicate).
    public func contains(_ digest: EventDigest) -> Bool {
        entries.contains { $0.eventDigest == digest }
    }

    /// Whether a key lies at or before the horizon: such an event can no longer be placed.
    public func isBeyondHorizon(_ key: TimelineKey) -> Bool {
        base.map { key <= $0.horizon } ?? false
    }

    // MARK: - Changing

    /// What ``insert(_:rules:)`` did.
    public struct Insertion: Sendable, Hashable {
        /// The status before.
        public var before: TimelineResult?
        /// The status after.
        public var after: TimelineResult?
        /// What the entry did at its place in time.
        public var outcome: TimelineOutcome
        /// The status right before the entry, at its place in time.
        public var statusBefore: ChannelStatus?
        /// Whether the entry was not the latest, so the timeline was re-folded from its place on.
        public var isLate: Bool
    }

    /// Inserts an entry at its place in time and re-folds what follows it; evicts the oldest entries beyond
    /// ``entryLimit`` into the base.
    ///
    /// The caller has checked that the entry is neither retained (``contains(_:)``) nor beyond the horizon.
    public mutating func insert(_ entry: TimelineEntry, rules: TenantRules) -> Insertion {
        let before = result
        let key = entry.key
        var index = entries.endIndex
        while index > entries.startIndex, key < entries[index - 1].key { index -= 1 }
        let isLate = index < entries.endIndex
        entries.insert(entry, at: index)
        let outcome: TimelineOutcome
        let statusBefore: ChannelStatus?
        if isLate {
            (outcome, statusBefore) = refold(reporting: index, rules: rules)
        } else {
            let (next, stepOutcome) = LeadFold.step(before, entry, rules: rules)
            outcome = stepOutcome
            statusBefore = before?.status
            if next != before { resultSource = .entry(index) }
        }
        if entries.count > Self.entryLimit { evict(entries.count - Self.entryLimit, rules: rules) }
        return Insertion(before: before, after: result, outcome: outcome, statusBefore: statusBefore, isLate: isLate)
    }

    /// Folds the whole timeline again (entries and base as they are): sets ``resultSource`` and returns the
    /// outcome of the entry at `reported` and the status right before it (`.applied` and `nil` when there is no
    /// such entry).
    @discardableResult
    mutating func refold(
        reporting reported: Int? = nil,
        rules: TenantRules
    ) -> (outcome: TimelineOutcome, statusBefore: ChannelStatus?) {
        var current = base?.result
        var source: ResultSource = base?.result == nil ? .none : .base
        var reportedOutcome = TimelineOutcome.applied
        var statusBefore: ChannelStatus?
        for index in entries.indices {
            if index == reported { statusBefore = current?.status }
            let (next, outcome) = LeadFold.step(current, entries[index], rules: rules)
            if next != current {
                current = next
                source = .entry(index)
            }
            if index == reported { reportedOutcome = outcome }
        }
        resultSource = source
        return (reportedOutcome, statusBefore)
    }

    /// Folds the oldest `count` entries into the base; the status does not change.
    private mutating func evict(_ count: Int, rules: TenantRules) {
        var current = base?.result
        for entry in entries.prefix(count) { current = LeadFold.step(current, entry, rules: rules).result }
        base = TimelineBase(result: current, horizon: entries[count - 1].key)
        entries.removeFirst(count)
        switch resultSource {
        case .entry(let index) where index >= count: resultSource = .entry(index - count)
        case .entry, .base: resultSource = current == nil ? .none : .base
        case .none: break
        }
    }

    /// Each entry's outcome in time order, folded from the base (for display: `leadsync state get`).
    public func outcomes(
        rules: TenantRules
    ) -> [(entry: TimelineEntry, outcome: TimelineOutcome, status: ChannelStatus?)] {
        var current = base?.result
        return entries.map { entry in
            let (next, outcome) = LeadFold.step(current, entry, rules: rules)
            current = next
            return (entry, outcome, next?.status)
        }
    }
}

// MARK: - TimelineKey

/// The event-time order of a lead's events: `occurredAt`, then the event id's digest, so that two events of the
/// same millisecond still have one order in every process and run.
public struct TimelineKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// When the event happened.
    public var occurredAt: Timestamp
    /// The event id's digest.
    public var eventDigest: EventDigest

    /// Creates a key.
    public init(occurredAt: Timestamp, eventDigest: EventDigest) {
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
    }

    /// Time first, then digest.
    public static func < (lhs: TimelineKey, rhs: TimelineKey) -> Bool {
        if lhs.occurredAt != rhs.occurredAt { return lhs.occurredAt < rhs.occurredAt }
        return lhs.eventDigest.rawValue < rhs.eventDigest.rawValue
    }

    /// `occurredAt#digest`.
    public var description: String { "\(occurredAt)#\(eventDigest)" }
}

// MARK: - TimelineEntry

/// One status-affecting event of a lead in a virtual event.
public struct TimelineEntry: Sendable, Hashable {
    /// What kind of event it was.
    public enum Kind: Sendable, Hashable {
        /// An attendee status, as mapped to a channel status, with the granular status the event carried.
        case status(ChannelStatus, granular: GranularStatus?)
        /// An engagement that meets the tenant's ``ParticipatedRule``: it derives `Participated` when the lead is
        /// at or below `Attended` at its time.
        case engagement
    }

    /// When the event happened.
    public var occurredAt: Timestamp
    /// The event id's digest.
    public var eventDigest: EventDigest
    /// What kind of event it was.
    public var kind: Kind

    /// Creates an entry.
    public init(occurredAt: Timestamp, eventDigest: EventDigest, kind: Kind) {
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.kind = kind
    }

    /// Its place in time.
    public var key: TimelineKey { TimelineKey(occurredAt: occurredAt, eventDigest: eventDigest) }

    /// The status this entry sets when it applies.
    public var result: TimelineResult {
        switch kind {
        case .status(let status, let granular):
            TimelineResult(status: status, occurredAt: occurredAt, eventDigest: eventDigest, granularStatus: granular)
        case .engagement:
            TimelineResult(status: .participated, occurredAt: occurredAt, eventDigest: eventDigest, isDerived: true)
        }
    }
}

// MARK: - TimelineResult

/// A lead's status in a virtual event and the event that set it.
public struct TimelineResult: Sendable, Hashable {
    /// The channel status.
    public var status: ChannelStatus
    /// When the event that set it happened.
    public var occurredAt: Timestamp
    /// That event's id digest.
    public var eventDigest: EventDigest
    /// The granular status that event carried, if any.
    public var granularStatus: GranularStatus?
    /// Whether it is `Participated` derived from an engagement.
    public var isDerived: Bool

    /// Creates a result.
    public init(
        status: ChannelStatus,
        occurredAt: Timestamp,
        eventDigest: EventDigest,
        granularStatus: GranularStatus? = nil,
        isDerived: Bool = false
    ) {
        self.status = status
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.granularStatus = granularStatus
        self.isDerived = isDerived
    }
}

// MARK: - TimelineBase

/// What a timeline's evicted entries folded to, and the key of the last of them.
public struct TimelineBase: Sendable, Hashable {
    /// The status the evicted entries gave (`nil` when they gave none).
    public var result: TimelineResult?
    /// The key of the last evicted entry: events at or before it are beyond the horizon.
    public var horizon: TimelineKey

    /// Creates a base.
    public init(result: TimelineResult?, horizon: TimelineKey) {
        self.result = result
        self.horizon = horizon
    }
}

// MARK: - TimelineOutcome

/// What one timeline entry did, at its place in time.
public enum TimelineOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Its status has a higher step than the one before: applied.
    case applied
    /// A lower step that the tenant allows (by default re-registration after un-registering), later than the
    /// status before: applied.
    case allowedBackward
    /// An engagement that derived `Participated` (the lead was at or below `Attended`).
    case derived
    /// An engagement while the lead was above `Attended`: no change.
    case notDerived
    /// Not applied, for this reason (``TransitionRejection/Reason/equalStep``,
    /// ``TransitionRejection/Reason/backwardNotAllowed``, or for the same millisecond as the status before,
    /// ``TransitionRejection/Reason/stale`` and ``TransitionRejection/Reason/backwardOlder``).
    case rejected(TransitionRejection.Reason)

    /// Whether the entry changed the status.
    public var changedStatus: Bool {
        switch self {
        case .applied, .allowedBackward, .derived: true
        case .notDerived, .rejected: false
        }
    }

    /// `applied`, `re-registration` (allowed backward), `derived`, `not derived`, or `rejected: reason`.
    public var description: String {
        switch self {
        case .applied: "applied"
        case .allowedBackward: "applied: allowed backward transition (re-registration)"
        case .derived: "derived Participated"
        case .notDerived: "engagement: lead above Attended, no change"
        case .rejected(let reason): "rejected: \(reason.code)"
        }
    }
}
