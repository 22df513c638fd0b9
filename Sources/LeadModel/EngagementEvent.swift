// MARK: - EngagementEvent

/// An `engagement.session` event, version 1 (docs/events.md): a cumulative engagement snapshot of a lead for one
/// entry (session) of a virtual event.
public struct EngagementEvent: Sendable, Hashable {
    /// Unique per event; a repeat is a duplicate.
    public var eventId: String
    /// The lead: tenant and normalised email.
    public var leadKey: LeadKey
    /// When the snapshot was taken; the fold keeps the latest per (lead, event, entry).
    public var occurredAt: Timestamp
    /// The virtual event.
    public var virtualEventId: String
    /// The platform's user id, when sent.
    public var userId: String?
    /// The entry (session) the snapshot is about.
    public var entry: EngagementEntry
    /// The channel; `id` 0 and an empty name when the producer omitted it.
    public var channel: EngagementChannel
    /// Whether this is the last snapshot for the entry.
    public var sessionEnded: Bool
    /// The cumulative metrics; a missing metric is unknown, not 0.
    public var metrics: EngagementMetrics

    /// Creates an event.
    public init(
        eventId: String,
        leadKey: LeadKey,
        occurredAt: Timestamp,
        virtualEventId: String,
        userId: String? = nil,
        entry: EngagementEntry,
        channel: EngagementChannel = .unknown,
        sessionEnded: Bool = false,
        metrics: EngagementMetrics = EngagementMetrics()
    ) {
        self.eventId = eventId
        self.leadKey = leadKey
        self.occurredAt = occurredAt
        self.virtualEventId = virtualEventId
        self.userId = userId
        self.entry = entry
        self.channel = channel
        self.sessionEnded = sessionEnded
        self.metrics = metrics
    }

    /// The tenant.
    public var tenant: String { leadKey.tenant }
    /// The lowercased, trimmed email.
    public var email: String { leadKey.email }
}

/// The entry (session) of an engagement snapshot.
public struct EngagementEntry: Sendable, Hashable {
    /// The entry id (required), e.g. `1_abcd1234`.
    public var id: String
    /// The entry's display name; empty when not sent.
    public var name: String

    /// Creates an entry.
    public init(id: String, name: String = "") {
        self.id = id
        self.name = name
    }
}

/// The channel of an engagement snapshot.
public struct EngagementChannel: Sendable, Hashable {
    /// The channel id; 0 when the producer sent no channel.
    public var id: Int64
    /// The channel name; empty when the producer sent no channel.
    public var name: String

    /// Creates a channel.
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }

    /// What an omitted `channel` means (docs/events.md; the convention of the Marketo setup in
    /// docs/crm-setup.md): id 0, empty name.
    public static let unknown = EngagementChannel(id: 0, name: "")
}
