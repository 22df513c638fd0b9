// MARK: - TransitionRejection

/// An input the fold did not apply, with a stable reason code for metrics.
public struct TransitionRejection: Sendable, Hashable, CustomStringConvertible {
    /// Why an input was not applied. The raw value is the snapshot code; ``code`` the metric label. Never renumber.
    ///
    /// - `duplicate`: the event id was seen before; nothing changes, nothing is recorded.
    /// - `equal_step`: same step as the current status (`Confirmed` vs `autoConfirmed`, or the same status); the
    ///   first stays.
    /// - `stale`: a lower step that is not an allowed backward transition and not newer than the current status
    ///   (a late event).
    /// - `backward_not_allowed`: a lower step, newer than the current status, but not in the tenant's allowed
    ///   backward transitions.
    /// - `backward_older`: an allowed backward transition whose `occurredAt` is not later than the current
    ///   status's.
    /// - `stale_engagement`: an engagement snapshot not newer than the latest one for its entry.
    ///
    /// `stale` and `backward_not_allowed` are both design.md's "lower steps are stale"; they are told apart because
    /// the first is out-of-order delivery and the second a regression the platform reported that the rules refuse.
    public enum Reason: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
        /// The event id was seen before.
        case duplicate = 1
        /// Same step as the current status.
        case equalStep = 2
        /// Lower step, not newer, not allowed.
        case stale = 3
        /// Lower step, newer, not allowed.
        case backwardNotAllowed = 4
        /// Allowed backward transition that is not newer.
        case backwardOlder = 5
        /// Engagement snapshot not newer than the latest.
        case staleEngagement = 6

        /// The stable code (metric label).
        public var code: String {
            switch self {
            case .duplicate: "duplicate"
            case .equalStep: "equal_step"
            case .stale: "stale"
            case .backwardNotAllowed: "backward_not_allowed"
            case .backwardOlder: "backward_older"
            case .staleEngagement: "stale_engagement"
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
