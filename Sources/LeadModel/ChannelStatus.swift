// MARK: - ChannelStatus

/// A program (Marketo) / campaign (Salesforce) member status of the event channel, with its step.
///
/// The names are exact and case-sensitive (they are the CRM's status values): `Un-registered` has a hyphen and
/// `autoConfirmed` a lowercase initial. The raw value is the compact code stored in lead snapshots; never renumber it.
public enum ChannelStatus: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// `Created`, step 10.
    case created = 1
    /// `Invited`, step 20.
    case invited = 2
    /// `Registered`, step 30, success.
    case registered = 3
    /// `Confirmed`, step 40, success.
    case confirmed = 4
    /// `autoConfirmed`, step 40, success.
    case autoConfirmed = 5
    /// `Attended`, step 50, success.
    case attended = 6
    /// `Participated`, step 60, success.
    case participated = 7
    /// `Blocked`, step 70.
    case blocked = 8
    /// `Un-registered`, step 80.
    case unregistered = 9

    /// The exact status name in the CRMs and in events.
    public var name: String {
        switch self {
        case .created: "Created"
        case .invited: "Invited"
        case .registered: "Registered"
        case .confirmed: "Confirmed"
        case .autoConfirmed: "autoConfirmed"
        case .attended: "Attended"
        case .participated: "Participated"
        case .blocked: "Blocked"
        case .unregistered: "Un-registered"
        }
    }

    /// The channel step; a transition normally only moves to a higher step.
    public var step: Int {
        switch self {
        case .created: 10
        case .invited: 20
        case .registered: 30
        case .confirmed, .autoConfirmed: 40
        case .attended: 50
        case .participated: 60
        case .blocked: 70
        case .unregistered: 80
        }
    }

    /// Whether the channel counts this status as a program success.
    public var isSuccess: Bool {
        switch self {
        case .registered, .confirmed, .autoConfirmed, .attended, .participated: true
        case .created, .invited, .blocked, .unregistered: false
        }
    }

    /// The status with exactly this name (case-sensitive), or `nil`.
    public init?(name: some StringProtocol) {
        switch name {
        case "Created": self = .created
        case "Invited": self = .invited
        case "Registered": self = .registered
        case "Confirmed": self = .confirmed
        case "autoConfirmed": self = .autoConfirmed
        case "Attended": self = .attended
        case "Participated": self = .participated
        case "Blocked": self = .blocked
        case "Un-registered": self = .unregistered
        default: return nil
        }
    }

    /// The name.
    public var description: String { name }
}
