// MARK: - SalesforceContact

/// A Contact a converted lead became: `Id, Email`.
public struct SalesforceContact: Sendable, Hashable {
    /// The contact id (`003…`).
    public var id: String
    /// The contact's email.
    public var email: String?

    /// Creates a contact.
    public init(id: String, email: String?) {
        self.id = id
        self.email = email
    }
}
