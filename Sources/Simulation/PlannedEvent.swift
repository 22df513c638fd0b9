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

// MARK: - EngagementSnapshot

/// The cumulative metrics of one (lead, virtual event, entry) at one instant.
struct EngagementSnapshot {
    var entryId: String
    var entryName: String
    /// `nil` when the producer omits the channel (older producers).
    var channel: (id: Int, name: String)?
    /// The `entry` object, as JSON.
    var entryJSON: [UInt8]
    /// `,"channel":{...}` or nothing.
    var channelJSON: [UInt8]
    var sessionEnded: Bool
    /// Values by metric raw value: counts as integers, quantities in hundredths, rates in thousandths.
    var values: [Int64]
    /// Bit `n` set when metric `n` is present.
    var presence: UInt32
}
