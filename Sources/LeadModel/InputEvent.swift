// MARK: - InputEvent

/// One decoded input record: an attendee status change or an engagement snapshot.
public enum InputEvent: Sendable, Hashable {
    /// `attendee.status` from `attendee.events`.
    case attendeeStatus(AttendeeStatusEvent)
    /// `engagement.session` from `engagement.events`.
    case engagement(EngagementEvent)

    /// The event id.
    public var eventId: String {
        switch self {
        case .attendeeStatus(let event): event.eventId
        case .engagement(let event): event.eventId
        }
    }

    /// The lead the event belongs to (its canonical Kafka key).
    public var leadKey: LeadKey {
        switch self {
        case .attendeeStatus(let event): event.leadKey
        case .engagement(let event): event.leadKey
        }
    }

    /// The tenant.
    public var tenant: String { leadKey.tenant }

    /// The virtual event.
    public var virtualEventId: String {
        switch self {
        case .attendeeStatus(let event): event.virtualEventId
        case .engagement(let event): event.virtualEventId
        }
    }

    /// When it happened.
    public var occurredAt: Timestamp {
        switch self {
        case .attendeeStatus(let event): event.occurredAt
        case .engagement(let event): event.occurredAt
        }
    }
}
