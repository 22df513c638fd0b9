// MARK: - LeadState

/// Everything the fold knows about one lead: the value of the lead's changelog record.
///
/// It does not hold its own ``LeadKey``: the key is the store and changelog key, so functions that need it take it
/// as a parameter. In the store a state lives encoded by ``LeadStateCodec`` (about 100-300 bytes) and is decoded
/// only while one of its events is folded.
public struct LeadState: Sendable, Hashable {
    /// How many transitions ``history`` keeps (the oldest are dropped first). Duplicate detection looks at the
    /// history, so a repeat of an event more than 32 transitions old is judged by the status rules instead, which
    /// reject it unless an allowed backward transition happened in between.
    public static let historyLimit = 32

    /// The lead's status per virtual event, in first-seen order.
    public var memberships: [Membership]
    /// The platform's user id, from the latest event that carried one (by arrival).
    public var userId: String?
    /// The registration profile from the attendee event with the latest `occurredAt` that carried one.
    public var profile: LeadProfile?
    /// The `occurredAt` of the event ``profile`` came from.
    public var profileOccurredAt: Timestamp?
    /// The latest engagement snapshot per (virtual event, entry), in first-seen order.
    public var engagements: [EngagementRecord]
    /// The last ``historyLimit`` applied and rejected transitions, oldest first (duplicates are not recorded).
    public var history: [HistoryEntry]

    /// Creates a state (empty by default: a lead the fold has not seen).
    public init(
        memberships: [Membership] = [],
        userId: String? = nil,
        profile: LeadProfile? = nil,
        profileOccurredAt: Timestamp? = nil,
        engagements: [EngagementRecord] = [],
        history: [HistoryEntry] = []
    ) {
        self.memberships = memberships
        self.userId = userId
        self.profile = profile
        self.profileOccurredAt = profileOccurredAt
        self.engagements = engagements
        self.history = history
    }

    /// Whether the fold has recorded nothing for the lead.
    public var isEmpty: Bool {
        memberships.isEmpty && userId == nil && profile == nil && engagements.isEmpty && history.isEmpty
    }

    /// The lead's status in a virtual event, if any.
    public func membership(for virtualEventId: String) -> Membership? {
        memberships.first { $0.virtualEventId == virtualEventId }
    }

    /// The latest snapshot of an entry, if any.
    public func engagement(virtualEventId: String, entryId: String) -> EngagementRecord? {
        engagements.first { $0.virtualEventId == virtualEventId && $0.entryId == entryId }
    }

    /// Appends to the history, dropping the oldest entries beyond ``historyLimit``.
    mutating func record(_ entry: HistoryEntry) {
        if history.count >= Self.historyLimit {
            history.removeFirst(history.count - Self.historyLimit + 1)
        }
        history.append(entry)
    }

    /// Sets the status of a virtual event.
    mutating func setMembership(_ membership: Membership) {
        if let index = memberships.firstIndex(where: { $0.virtualEventId == membership.virtualEventId }) {
            memberships[index] = membership
        } else {
            memberships.append(membership)
        }
    }
}

/// A lead's current channel status in one virtual event.
public struct Membership: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The current channel status.
    public var status: ChannelStatus
    /// The `occurredAt` of the event that set it.
    public var occurredAt: Timestamp
    /// The id of the event that set it (an engagement event's id when `Participated` was derived).
    public var eventId: String

    /// Creates a membership.
    public init(virtualEventId: String, status: ChannelStatus, occurredAt: Timestamp, eventId: String) {
        self.virtualEventId = virtualEventId
        self.status = status
        self.occurredAt = occurredAt
        self.eventId = eventId
    }
}

/// The latest engagement snapshot of one (virtual event, entry) of a lead, and its custom-activity progress.
public struct EngagementRecord: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The entry id.
    public var entryId: String
    /// The latest snapshot's `occurredAt`; older or equal snapshots are stale.
    public var occurredAt: Timestamp
    /// The latest snapshot's event id digest (duplicate detection).
    public var eventDigest: EventDigest
    /// Wall-clock time (the fold's `now`) when the latest snapshot was applied: the settle timer's start.
    public var lastChangedAt: Timestamp
    /// Whether the Marketo custom activity is still to be sent, and with what.
    public var activity: ActivityProgress

    /// Creates a record.
    public init(
        virtualEventId: String,
        entryId: String,
        occurredAt: Timestamp,
        eventDigest: EventDigest,
        lastChangedAt: Timestamp,
        activity: ActivityProgress
    ) {
        self.virtualEventId = virtualEventId
        self.entryId = entryId
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.lastChangedAt = lastChangedAt
        self.activity = activity
    }

    /// Whether the custom activity was emitted (or was not needed because Marketo is not a target).
    public var isActivityEmitted: Bool {
        if case .emitted = activity { return true }
        return false
    }
}

/// The custom activity of one entry: pending with the snapshot it will carry, or emitted (then the snapshot's
/// details are dropped from the state, which keeps settled leads small).
public enum ActivityProgress: Sendable, Hashable {
    /// Not yet emitted: the latest snapshot, as the activity command will carry it.
    case pending(PendingActivity)
    /// Emitted, or not needed because the event has no Marketo target; never emitted again.
    case emitted
}

/// The latest snapshot of an entry whose custom activity is not yet emitted.
public struct PendingActivity: Sendable, Hashable {
    /// The snapshot's event id (the activity's source event).
    public var eventId: String
    /// The entry's name.
    public var entryName: String
    /// The channel.
    public var channel: EngagementChannel
    /// Whether the snapshot ended the session.
    public var sessionEnded: Bool
    /// The snapshot's metrics.
    public var metrics: EngagementMetrics

    /// Creates a pending activity.
    public init(
        eventId: String,
        entryName: String,
        channel: EngagementChannel,
        sessionEnded: Bool,
        metrics: EngagementMetrics
    ) {
        self.eventId = eventId
        self.entryName = entryName
        self.channel = channel
        self.sessionEnded = sessionEnded
        self.metrics = metrics
    }
}

/// One transition the fold applied or rejected.
public struct HistoryEntry: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The incoming channel status.
    public var status: ChannelStatus
    /// The incoming event's `occurredAt`.
    public var occurredAt: Timestamp
    /// The incoming event's id digest.
    public var eventDigest: EventDigest
    /// Applied, or rejected with a reason.
    public var outcome: TransitionOutcome

    /// Creates an entry.
    public init(
        virtualEventId: String,
        status: ChannelStatus,
        occurredAt: Timestamp,
        eventDigest: EventDigest,
        outcome: TransitionOutcome
    ) {
        self.virtualEventId = virtualEventId
        self.status = status
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.outcome = outcome
    }
}

/// What became of a transition.
public enum TransitionOutcome: Sendable, Hashable {
    /// The status was applied.
    case applied
    /// `Participated` was derived from engagement and applied.
    case derived
    /// The status was rejected.
    case rejected(TransitionRejection.Reason)
}
