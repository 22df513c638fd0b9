// MARK: - StatusTransition

/// A move from one channel status to another, used to list a tenant's allowed backward transitions.
public struct StatusTransition: Sendable, Hashable, CustomStringConvertible {
    /// The current status.
    public var from: ChannelStatus
    /// The incoming status.
    public var to: ChannelStatus

    /// Creates a transition.
    public init(from: ChannelStatus, to: ChannelStatus) {
        self.from = from
        self.to = to
    }

    /// The default allowed backward transitions: re-registration after un-registering.
    public static let reRegistration: Set<StatusTransition> = [
        StatusTransition(from: .unregistered, to: .registered),
        StatusTransition(from: .unregistered, to: .confirmed),
        StatusTransition(from: .unregistered, to: .autoConfirmed),
    ]

    /// `from -> to`.
    public var description: String { "\(from.name) -> \(to.name)" }
}
