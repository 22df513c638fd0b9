// MARK: - SalesforceLeadLookup

/// What a lookup found for one email: every Lead with it (compared without case, as SOQL does) and the Contacts
/// the converted ones became.
public struct SalesforceLeadLookup: Sendable, Hashable {
    /// The email as it was asked for.
    public var email: String
    /// The Leads with that email.
    public var leads: [SalesforceLead]
    /// The Contacts of the converted Leads among ``leads``.
    public var convertedContacts: [SalesforceContact]

    /// Creates a lookup result.
    public init(email: String, leads: [SalesforceLead], convertedContacts: [SalesforceContact]) {
        self.email = email
        self.leads = leads
        self.convertedContacts = convertedContacts
    }

    /// Who the email stands for.
    public var match: SalesforcePersonMatch {
        guard let lead = leads.first else { return .notFound }
        guard leads.count == 1 else { return .ambiguous(leadIds: leads.map(\.id)) }
        guard lead.isConverted else { return .lead(id: lead.id) }
        if let contactId = lead.convertedContactId,
            let contact = convertedContacts.first(where: { Self.sameId($0.id, contactId) })
        {
            return .contact(id: contact.id, convertedLeadId: lead.id)
        }
        return .convertedContactMissing(leadId: lead.id, contactId: lead.convertedContactId)
    }

    /// Ids are equal when their first 15 (case-sensitive) characters are.
    static func sameId(_ left: String, _ right: String) -> Bool {
        left.prefix(15) == right.prefix(15)
    }
}
