// MARK: - SalesforceSandboxSetup.Contact

extension SalesforceSandboxSetup {
    /// A Contact present at start.
    public struct Contact: Codable, Sendable, Equatable {
        /// The contact id (`003…`).
        public var id: String
        /// First name.
        public var firstName: String?
        /// Last name (required by Salesforce).
        public var lastName: String
        /// Email address.
        public var email: String?

        /// Creates a contact.
        public init(id: String, firstName: String? = nil, lastName: String, email: String? = nil) {
            self.id = id
            self.firstName = firstName
            self.lastName = lastName
            self.email = email
        }
    }
}
