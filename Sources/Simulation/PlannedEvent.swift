// MARK: - PlannedEvent

/// One event of a lead's journey, before it is written as JSON.
struct PlannedEvent {
    /// What the event says.
    enum Payload {
        /// An `attendee.status` event with this status name, with or without the registration profile.
        case status(name: String, includesProfile: Bool)
        /// An `engagement.session` snapshot.
        case engagement(EngagementSnapshot)
    }

    var payload: Payload
    /// Index into the tenant's virtual event ids.
    var virtualEventIndex: Int
    var occurredAt: Int64
    var timeForm: JSONBodyWriter.TimeForm
    /// The 36-byte UUID text.
    var eventId: [UInt8]

    var isAttendee: Bool {
        if case .status = payload { return true }
        return false
    }
}
