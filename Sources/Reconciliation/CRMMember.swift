import Foundation

// MARK: - CRMMember

/// One member of a Marketo program or Salesforce campaign as the CRM holds it.
public struct CRMMember: Sendable, Hashable {
    /// The member's email, lowercased and trimmed (the email part of a ``LeadModel/LeadKey``).
    public var email: String
    /// The CRM's status name (`Registered`, ...), exactly as the CRM holds it.
    public var statusName: String
    /// The CRM's id of the person (Marketo lead id, Salesforce Lead or Contact id), for a person to look up.
    public var personId: String

    /// Creates a member; the email is normalised (trimmed, lowercased).
    public init(email: String, statusName: String, personId: String) {
        self.email = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        self.statusName = statusName
        self.personId = personId
    }
}
