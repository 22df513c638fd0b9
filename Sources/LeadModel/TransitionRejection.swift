// MARK: - TransitionRejection

/// An input the fold did not apply, with a stable reason code for metrics.
public struct TransitionRejection: Sendable, Hashable, CustomStringConvertible {
    /// Why an input was not applied. The raw value is the snapshot code; ``code`` the metric label. Never renumber.
    ///
    /// Status events are judged at their place in event time (``StatusTimeline``), against the status before them:
    /// - `duplicate`: the event id was seen before; nothing changes.
    /// - `equal_step`: same step as the status before (`Confirmed` vs `autoConfirmed`, or the same status); the
    ///   first stays.
    /// - `stale`: a lower step in the same millisecond as the status before (ordered after it by the event id's
    ///   digest), not an allowed backward transition.
    /// - `backward_not_allowed`: a lower step later than the status before, not in the tenant's allowed backward
    ///   transitions (a regression the platform reported that the rules refuse).
    /// - `backward_older`: an allowed backward transition in the same millisecond as the status before.
    /// - `stale_engagement`: an engagement snapshot earlier in event time than the latest one for its entry (it
    ///   may still derive `Participated` at its time).
    /// - `beyond_horizon`: an event at or before the oldest retained event of a full timeline
    ///   (``StatusTimeline/entryLimit``): it can no longer be placed in time, so it changes nothing.
    public enum Reason: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The event id was seen before.
        case duplicate = 1
        /// Same step as the current status.
        case equalStep = 2
        /// Lower step in the same millisecond, not allowed.
        case stale = 3
        /// Lower step, newer, not allowed.
        case backwardNotAllowed = 4
        /// Allowed backward transition in the same millisecond.
        case backwardOlder = 5
        /// Engagement snapshot not newer than the latest.
        case staleEngagement = 6
        /// Event at or before a full timeline's horizon.
        case beyondHorizon = 7

        /// The stable code (metric label).
        public var code: String {
            switch self {
            case .duplicate: "duplicate"
            case .equalStep: "equal_step"
            case .stale: "stale"
            case .backwardNotAllowed: "backward_not_allowed"
            case .backwardOlder: "backward_older"
            case .staleEngagement: "stale_engagement"
            case .beyondHorizon: "beyond_horizon"
            }
        }

        /// The code.
        public var description: String { code }
    }

    /// Why.
    public var reason: Reason
    /// The event that was not applied.
    public var eventId: String
    /// Its virtual event.
    public var virtualEventId: String
    /// The status it carried (`nil` for engagement snapshots).
    public var incoming: ChannelStatus?
    /// The lead's status in that event at the time (`nil` when none, or for engagement snapshots).
    public var current: ChannelStatus?

    /// Creates a rejection.
    public init(
        reason: Reason,
        eventId: String,
        virtualEventId: String,
        incoming: ChannelStatus? = nil,
        current: ChannelStatus? = nil
    ) {
        self.reason = reason
        self.eventId = eventId
        self.virtualEventId = virtualEventId
        self.incoming = incoming
        self.current = current
    }

    /// `reason: eventId (current -> incoming)`.
    public var description: String {
        let statuses = incoming.map { " (\(current?.name ?? "none") -> \($0.name))" } ?? ""
        return "\(reason.code): \(eventId)\(statuses)"
    }
}
