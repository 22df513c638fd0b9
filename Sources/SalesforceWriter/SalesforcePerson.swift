// MARK: - SalesforcePerson

/// Who a lead key stands for in the org: the Lead, or the Contact a converted Lead became. CampaignMembers and
/// engagement records are addressed through it.
enum SalesforcePerson: Sendable, Hashable {
    /// An unconverted Lead (`00Q…`).
    case lead(id: String)
    /// A Contact (`003…`): the one a converted Lead became, or an existing customer's (`convertedLeadId` empty).
    case contact(id: String, convertedLeadId: String)

    /// The id a CampaignMember points at, and the middle of the member key.
    var id: String {
        switch self {
        case .lead(let id): id
        case .contact(let id, _): id
        }
    }

    /// The CampaignMember field that holds ``id`` on create: `LeadId` or `ContactId`.
    var memberField: String {
        switch self {
        case .lead: "LeadId"
        case .contact: "ContactId"
        }
    }

    /// The Lead id for `Lead__c` lookups; nil for a Contact (a converted Lead cannot be referenced).
    var leadId: String? {
        if case .lead(let id) = self { return id }
        return nil
    }

    /// The cache form: `lead:<id>` or `contact:<id>:<convertedLeadId>`.
    var cacheValue: String {
        switch self {
        case .lead(let id): "lead:\(id)"
        case .contact(let id, let convertedLeadId): "contact:\(id):\(convertedLeadId)"
        }
    }

    /// Reads the cache form; nil for anything else.
    init?(cacheValue: String) {
        let parts = cacheValue.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("lead", 2) where !parts[1].isEmpty:
            self = .lead(id: parts[1])
        case ("contact", 3) where !parts[1].isEmpty:
            self = .contact(id: parts[1], convertedLeadId: parts[2])
        default:
            return nil
        }
    }
}
