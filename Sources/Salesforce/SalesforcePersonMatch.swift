// MARK: - SalesforcePersonMatch

/// Who an email stands for in the org, as a writer needs it to address a CampaignMember.
public enum SalesforcePersonMatch: Sendable, Hashable {
    /// No Lead has the email: create one.
    case notFound
    /// One unconverted Lead: use `LeadId`.
    case lead(id: String)
    /// One Lead, converted to an existing Contact: use `ContactId`.
    case contact(id: String, convertedLeadId: String)
    /// One converted Lead whose Contact could not be read (deleted or not visible).
    case convertedContactMissing(leadId: String, contactId: String?)
    /// Several Leads share the email (Salesforce does not make Email unique): a person must decide.
    case ambiguous(leadIds: [String])
}
