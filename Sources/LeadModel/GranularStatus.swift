// MARK: - GranularStatus

/// A status as the events platform shows it, finer than the channel statuses (see docs/architecture.md).
///
/// Three names (`Registered`, `Blocked`, `Un-registered`) are also channel status names; an event carrying one of
/// them is read as the granular status, whose default mapping is the channel status of the same name, so a
/// tenant override of the granular status applies to it. The raw value is the stable snapshot code.
public enum GranularStatus: UInt8, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// `SSO login` (default: Registered).
    case ssoLogin = 1
    /// `Invited by team member` (default: Invited).
    case invitedByTeamMember = 2
    /// `Invited by team member to register` (default: Invited).
    case invitedByTeamMemberToRegister = 3
    /// `Registered` (default: Registered).
    case registered = 4
    /// `Confirmed email` (default: Confirmed).
    case confirmedEmail = 5
    /// `Registered no confirmation required` (default: autoConfirmed).
    case registeredNoConfirmationRequired = 6
    /// `Pre-event visit` (default: Attended).
    case preEventVisit = 7
    /// `During-event visit` (default: Attended).
    case duringEventVisit = 8
    /// `Blocked` (default: Blocked).
    case blocked = 9
    /// `Un-registered` (default: Un-registered).
    case unregistered = 10

    /// The exact name in events.
    public var name: String {
        switch self {
        case .ssoLogin: "SSO login"
        case .invitedByTeamMember: "Invited by team member"
        case .invitedByTeamMemberToRegister: "Invited by team member to register"
        case .registered: "Registered"
        case .confirmedEmail: "Confirmed email"
        case .registeredNoConfirmationRequired: "Registered no confirmation required"
        case .preEventVisit: "Pre-event visit"
        case .duringEventVisit: "During-event visit"
        case .blocked: "Blocked"
        case .unregistered: "Un-registered"
        }
    }

    /// The channel status of docs/architecture.md's default table.
    public var defaultChannelStatus: ChannelStatus {
        switch self {
        case .ssoLogin, .registered: .registered
        case .invitedByTeamMember, .invitedByTeamMemberToRegister: .invited
        case .confirmedEmail: .confirmed
        case .registeredNoConfirmationRequired: .autoConfirmed
        case .preEventVisit, .duringEventVisit: .attended
        case .blocked: .blocked
        case .unregistered: .unregistered
        }
    }

    /// The granular status with exactly this name (case-sensitive), or `nil`.
    public init?(name: some StringProtocol) {
        switch name {
        case "SSO login": self = .ssoLogin
        case "Invited by team member": self = .invitedByTeamMember
        case "Invited by team member to register": self = .invitedByTeamMemberToRegister
        case "Registered": self = .registered
        case "Confirmed email": self = .confirmedEmail
        case "Registered no confirmation required": self = .registeredNoConfirmationRequired
        case "Pre-event visit": self = .preEventVisit
        case "During-event visit": self = .duringEventVisit
        case "Blocked": self = .blocked
        case "Un-registered": self = .unregistered
        default: return nil
        }
    }

    /// The name.
    public var description: String { name }
}
