// MARK: - LeadState

/// Everything the fold knows about one lead: the value of the lead's changelog record.
///
/// It does not hold its own ``LeadKey``: the key is the store and changelog key, so functions that need it take it
/// as a parameter. In the store a state lives encoded by ``LeadStateCodec`` (about 100-300 bytes) and is decoded
/// only while one of its events is folded.
///
/// Everything in it is a function of the lead's events, not of the order they arrived in: the statuses come from
/// the ``timelines`` (events in event time), the user id, the profile and the engagement snapshots each from the
/// event latest in time. Only the custom-activity progress follows the fold's wall clock (the settle window).
public struct LeadState: Sendable, Hashable {
    /// The lead's status timeline per virtual event, sorted by virtual event id.
    public var timelines: [StatusTimeline]
    /// The platform's user id, from the event with the latest `occurredAt` that carried one.
    public var userId: String?
    /// The `occurredAt` of the event ``userId`` came from.
    public var userIdOccurredAt: Timestamp?
    /// The registration profile from the attendee event with the latest `occurredAt` that carried one.
    public var profile: LeadProfile?
    /// The `occurredAt` of the event ``profile`` came from.
    public var profileOccurredAt: Timestamp?
    /// The latest engagement snapshot per (virtual event, entry), sorted by both.
    public var engagements: [EngagementRecord]

    /// Creates a state (empty by default: a lead the fold has not seen).
    public init(
        timelines: [StatusTimeline] = [],
        userId: String? = nil,
        userIdOccurredAt: Timestamp? = nil,
        profile: LeadProfile? = nil,
        profileOccurredAt: Timestamp? = nil,
        engagements: [EngagementRecord] = []
    ) {
        self.timelines = timelines
        self.userId = userId
        self.userIdOccurredAt = userIdOccurredAt
        self.profile = profile
        self.profileOccurredAt = profileOccurredAt
        self.engagements = engagements
    }

    /// Whether the fold has recorded nothing for the lead.
    public var isEmpty: Bool {
        timelines.isEmpty && userId == nil && profile == nil && engagements.isEmpty
    }

    /// The lead's status per virtual event that has one, sorted by virtual event id.
    public var memberships: [Membership] {
        timelines.compactMap { timeline in
            timeline.result.map { Membership(virtualEventId: timeline.virtualEventId, result: $0) }
        }
    }

    /// The lead's status in a virtual event, if any.
    public func membership(for virtualEventId: String) -> Membership? {
        guard let timeline = timeline(for: virtualEventId), let result = timeline.result else { return nil }
        return Membership(virtualEventId: virtualEventId, result: result)
    }

    /// The status timeline of a virtual event, if the lead has one.
    public func timeline(for virtualEventId: String) -> StatusTimeline? {
        timelines.first { $0.virtualEventId == virtualEventId }
    }

    /// Adds an empty timeline for a virtual event at its place (timelines are sorted by virtual event id, so that
    /// the state does not depend on which event was seen first) and returns its index.
    mutating func addTimeline(for virtualEventId: String) -> Int {
        let index = timelines.firstIndex { $0.virtualEventId > virtualEventId } ?? timelines.endIndex
        timelines.insert(StatusTimeline(virtualEventId: virtualEventId), at: index)
        return index
    }

    /// The latest snapshot of an entry, if any.
    public func engagement(virtualEventId: String, entryId: String) -> EngagementRecord? {
        engagements.first { $0.virtualEventId == virtualEventId && $0.entryId == entryId }
    }
}

/// A lead's current channel status in one virtual event: the result of its ``StatusTimeline``.
public struct Membership: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The current channel status.
    public var status: ChannelStatus
    /// The `occurredAt` of the event that set it.
    public var occurredAt: Timestamp
    /// The digest of the id of the event that set it (an engagement event's when `Participated` was derived).
    public var eventDigest: EventDigest
    /// The granular status that event carried, if any.
    public var granularStatus: GranularStatus?
    /// Whether it is `Participated` derived from engagement.
    public var isDerived: Bool

    /// Creates a membership.
    public init(
        virtualEventId: String,
        status: ChannelStatus,
        occurredAt: Timestamp,
        eventDigest: EventDigest,
        granularStatus: GranularStatus? = nil,
        isDerived: Bool = false
    ) {
        self.virtualEventId = virtualEventId
        self.status = status
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.granularStatus = granularStatus
        self.isDerived = isDerived
    }

    /// The membership a timeline's result gives.
    public init(virtualEventId: String, result: TimelineResult) {
        self.init(
            virtualEventId: virtualEventId,
            status: result.status,
            occurredAt: result.occurredAt,
            eventDigest: result.eventDigest,
            granularStatus: result.granularStatus,
            isDerived: result.isDerived
        )
    }
}

/// The latest engagement snapshot of one (virtual event, entry) of a lead, and its custom-activity progress.
public struct EngagementRecord: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The entry id.
    public var entryId: String
    /// The latest snapshot's `occurredAt`; snapshots earlier in event time (``key``) are stale.
    public var occurredAt: Timestamp
    /// The latest snapshot's event id digest (duplicate detection).
    public var eventDigest: EventDigest
    /// Whether the Marketo custom activity is still to be sent, and with what.
    public var activity: ActivityProgress

    /// Creates a record.
    public init(
        virtualEventId: String,
        entryId: String,
        occurredAt: Timestamp,
        eventDigest: EventDigest,
        activity: ActivityProgress
    ) {
        self.virtualEventId = virtualEventId
        self.entryId = entryId
        self.occurredAt = occurredAt
        self.eventDigest = eventDigest
        self.activity = activity
    }

    /// The latest snapshot's place in event time.
    public var key: TimelineKey { TimelineKey(occurredAt: occurredAt, eventDigest: eventDigest) }

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
    /// Wall-clock time (the fold's `now`) when the latest snapshot was applied: the settle timer's start. The only
    /// part of a lead's state that follows the fold's clock rather than the events, and only while the activity is
    /// pending.
    public var lastChangedAt: Timestamp
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
        lastChangedAt: Timestamp,
        eventId: String,
        entryName: String,
        channel: EngagementChannel,
        sessionEnded: Bool,
        metrics: EngagementMetrics
    ) {
        self.lastChangedAt = lastChangedAt
        self.eventId = eventId
        self.entryName = entryName
        self.channel = channel
        self.sessionEnded = sessionEnded
        self.metrics = metrics
    }
}
