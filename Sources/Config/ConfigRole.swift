public import LeadModel

// MARK: - ConfigRole

/// Which process loads the configuration, and so which sections it needs.
///
/// The fold needs the tenants, their events and status mappings, never CRM credentials; a writer needs its own
/// CRM's section of each tenant that delivers there, not the other one's. A CRM section that is present is
/// always validated (a typo is a typo); only whether it must be present depends on the role. Secrets are
/// resolved for the role's sections only (``LeadSyncConfig/checkSecrets(for:)``).
public enum ConfigRole: Sendable, Hashable, CustomStringConvertible {
    /// Every role in one process (`leadsync run`), and the tools that read everything (`leadsync doctor`).
    case all
    /// `leadsync fold`: tenants, events and mappings.
    case fold
    /// `leadsync writer marketo|salesforce`: its own CRM's section.
    case writer(Destination)

    /// The CRM sections a tenant must have for each of its destinations in this role.
    public var requiredSections: Set<Destination> {
        switch self {
        case .all: Set(Destination.allCases)
        case .fold: []
        case .writer(let destination): [destination]
        }
    }

    /// `all`, `fold`, `writer marketo`.
    public var description: String {
        switch self {
        case .all: "all"
        case .fold: "fold"
        case .writer(let destination): "writer \(destination.rawValue)"
        }
    }
}
