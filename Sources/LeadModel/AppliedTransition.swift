// MARK: - AppliedTransition

/// A change of a lead's status in a virtual event, as one folded event caused it.
///
/// The status comes from the lead's timeline in event time (``StatusTimeline``): usually the folded event set it
/// itself; when that event was late (earlier than events already folded), the re-fold may give a status that
/// another event set, and the change is a correction.
public struct AppliedTransition: Sendable, Hashable {
    /// The virtual event.
    public var virtualEventId: String
    /// The status before (`nil` when the lead had none in this event).
    public var from: ChannelStatus?
    /// The new status.
    public var to: ChannelStatus
    /// The granular status carried by the event that set the new status, if any.
    public var granularStatus: GranularStatus?
    /// The `occurredAt` of the event that set the new status.
    public var occurredAt: Timestamp
    /// The event whose fold caused the change (the commands' `sourceEventId`).
    public var eventId: String
    /// Whether `Participated` was derived from engagement.
    public var isDerived: Bool
    /// Whether a late event caused it by re-folding the timeline (rather than by being the latest event).
    public var isCorrection: Bool

    /// Creates a transition.
    public init(
        virtualEventId: String,
        from: ChannelStatus?,
        to: ChannelStatus,
        granularStatus: GranularStatus? = nil,
        occurredAt: Timestamp,
        eventId: String,
        isDerived: Bool = false,
        isCorrection: Bool = false
    ) {
        self.virtualEventId = virtualEventId
        self.from = from
        self.to = to
        self.granularStatus = granularStatus
        self.occurredAt = occurredAt
        self.eventId = eventId
        self.isDerived = isDerived
        self.isCorrection = isCorrection
    }
}
