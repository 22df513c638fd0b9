// MARK: - AppliedTransition

/// A status change the fold applied.
public struct AppliedTransition: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The status before (`nil` when the lead had none in this event).
    public var from: ChannelStatus?
    /// The new status.
    public var to: ChannelStatus
    /// The granular status the event carried, if it carried one.
    public var granularStatus: GranularStatus?
    /// The source event's `occurredAt`.
    public var occurredAt: Timestamp
    /// The source event (an engagement event when derived).
    public var eventId: String
    /// Whether `Participated` was derived from engagement.
    public var isDerived: Bool

    /// Creates a transition.
    public init(
        virtualEventId: String,
        from: ChannelStatus?,
        to: ChannelStatus,
        granularStatus: GranularStatus? = nil,
        occurredAt: Timestamp,
        eventId: String,
        isDerived: Bool = false
    ) {
        self.virtualEventId = virtualEventId
        self.from = from
        self.to = to
        self.granularStatus = granularStatus
        self.occurredAt = occurredAt
        self.eventId = eventId
        self.isDerived = isDerived
    }
}
