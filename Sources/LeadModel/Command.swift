// MARK: - Command

/// An instruction for one CRM writer, carrying everything the writer needs without reading lead state.
///
/// Commands are keyed by ``leadKey`` on `marketo.commands` / `salesforce.commands` and serialised by
/// ``CommandCodec`` (the JSON contract is in `topics/schemas/command.*.v1.json`).
public struct Command: Sendable, Hashable {
    /// Deterministic id (see ``CommandID``): replaying the same input yields the same id.
    public var commandId: CommandID
    /// Where it goes: Marketo program or Salesforce campaign.
    public var target: CommandTarget
    /// The lead (tenant and normalised email).
    public var leadKey: LeadKey
    /// The platform's user id, when known.
    public var userId: String?
    /// The lead's latest registration profile, when known (the writer may need it to create the lead).
    public var profile: LeadProfile?
    /// The virtual event.
    public var virtualEventId: String
    /// The source event's `occurredAt` (the snapshot's for engagement).
    public var occurredAt: Timestamp
    /// The event that caused the command.
    public var sourceEventId: String
    /// What to do.
    public var payload: CommandPayload

    /// Creates a command.
    public init(
        commandId: CommandID,
        target: CommandTarget,
        leadKey: LeadKey,
        userId: String?,
        profile: LeadProfile?,
        virtualEventId: String,
        occurredAt: Timestamp,
        sourceEventId: String,
        payload: CommandPayload
    ) {
        self.commandId = commandId
        self.target = target
        self.leadKey = leadKey
        self.userId = userId
        self.profile = profile
        self.virtualEventId = virtualEventId
        self.occurredAt = occurredAt
        self.sourceEventId = sourceEventId
        self.payload = payload
    }

    /// The kind of command.
    public var kind: CommandKind { payload.kind }
    /// The CRM.
    public var destination: Destination { target.destination }
    /// The tenant.
    public var tenant: String { leadKey.tenant }
    /// The lead's normalised email.
    public var email: String { leadKey.email }
}

/// The kind-specific part of a command.
public enum CommandPayload: Sendable, Hashable {
    /// Set the member status.
    case memberStatus(MemberStatusChange)
    /// Upsert the engagement custom object.
    case engagementUpsert(EngagementSnapshot)
    /// Append the Marketo custom activity.
    case engagementActivity(EngagementSnapshot)

    /// The kind.
    public var kind: CommandKind {
        switch self {
        case .memberStatus: .memberStatus
        case .engagementUpsert: .engagementUpsert
        case .engagementActivity: .engagementActivity
        }
    }
}

/// A member status to set.
public struct MemberStatusChange: Sendable, Hashable {
    /// The new channel status (its ``ChannelStatus/name`` and ``ChannelStatus/step`` are both serialised).
    public var status: ChannelStatus
    /// The status before, when the lead had one in this event (writers use it to keep per-lead order).
    public var previousStatus: ChannelStatus?
    /// The granular status the event carried, if any.
    public var granularStatus: GranularStatus?
    /// Whether `Participated` was derived from engagement.
    public var isDerived: Bool

    /// Creates a change.
    public init(
        status: ChannelStatus,
        previousStatus: ChannelStatus? = nil,
        granularStatus: GranularStatus? = nil,
        isDerived: Bool = false
    ) {
        self.status = status
        self.previousStatus = previousStatus
        self.granularStatus = granularStatus
        self.isDerived = isDerived
    }
}

/// An engagement snapshot as commands carry it.
public struct EngagementSnapshot: Sendable, Hashable {
    /// The entry (session).
    public var entry: EngagementEntry
    /// The channel (id 0 and empty name when unknown).
    public var channel: EngagementChannel
    /// The cumulative metrics (unknown ones are omitted from JSON).
    public var metrics: EngagementMetrics
    /// Whether the snapshot ended the session.
    public var sessionEnded: Bool

    /// Creates a snapshot.
    public init(entry: EngagementEntry, channel: EngagementChannel, metrics: EngagementMetrics, sessionEnded: Bool) {
        self.entry = entry
        self.channel = channel
        self.metrics = metrics
        self.sessionEnded = sessionEnded
    }
}
