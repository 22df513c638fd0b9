// MARK: - AttendeeStatusEvent

/// An `attendee.status` event, version 1 (docs/events.md): a lead's status in a virtual event changed.
public struct AttendeeStatusEvent: Sendable, Hashable {
    /// Unique per event; a repeat is a duplicate.
    public var eventId: String
    /// The lead: tenant and normalised email (the email as sent is not kept; the key's is canonical).
    public var leadKey: LeadKey
    /// When the change happened on the platform.
    public var occurredAt: Timestamp
    /// The virtual event; the tenant maps it to a Marketo program and a Salesforce campaign.
    public var virtualEventId: String
    /// The platform's user id, when sent.
    public var userId: String?
    /// The status as sent (granular or channel).
    public var status: ReportedStatus
    /// Registration form fields, when sent.
    public var profile: LeadProfile?

    /// Creates an event.
    public init(
        eventId: String,
        leadKey: LeadKey,
        occurredAt: Timestamp,
        virtualEventId: String,
        userId: String? = nil,
        status: ReportedStatus,
        profile: LeadProfile? = nil
    ) {
        self.eventId = eventId
        self.leadKey = leadKey
        self.occurredAt = occurredAt
        self.virtualEventId = virtualEventId
        self.userId = userId
        self.status = status
        self.profile = profile
    }

    /// The tenant.
    public var tenant: String { leadKey.tenant }
    /// The lowercased, trimmed email.
    public var email: String { leadKey.email }
}
