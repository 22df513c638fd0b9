// MARK: - ReportedStatus

/// The `status` of an attendee event as sent: a granular status or a channel status name.
///
/// Names that are both (`Registered`, `Blocked`, `Un-registered`) are ``granular(_:)``. Which channel status it
/// means is the tenant's ``StatusMapping``'s decision.
public enum ReportedStatus: Sendable, Hashable, CustomStringConvertible {
    /// A granular status of the events platform.
    case granular(GranularStatus)
    /// A channel status named directly.
    case channel(ChannelStatus)

    /// Parses an exact (case-sensitive) status name; `nil` when it is neither kind of status.
    public init?(name: some StringProtocol) {
        if let granular = GranularStatus(name: name) {
            self = .granular(granular)
        } else if let channel = ChannelStatus(name: name) {
            self = .channel(channel)
        } else {
            return nil
        }
    }

    /// The name as sent.
    public var name: String {
        switch self {
        case .granular(let granular): granular.name
        case .channel(let channel): channel.name
        }
    }

    /// The name.
    public var description: String { name }
}
