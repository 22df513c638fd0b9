// MARK: - SalesforceSandboxSetup.Lead

extension SalesforceSandboxSetup {
    /// A Lead present at start. A converted lead names the Contact it became.
    public struct Lead: Codable, Sendable, Equatable {
        /// The lead id (`00Q…`).
        public var id: String
        /// First name.
        public var firstName: String?
        /// Last name (required by Salesforce).
        public var lastName: String
        /// Company (required by Salesforce).
        public var company: String
        /// Email address.
        public var email: String?
        /// The contact this lead was converted to; sets `IsConverted`.
        public var convertedContactId: String?

        /// Creates a lead.
        public init(
            id: String,
            firstName: String? = nil,
            lastName: String,
            company: String,
            email: String? = nil,
            convertedContactId: String? = nil
        ) {
            self.id = id
            self.firstName = firstName
            self.lastName = lastName
            self.company = company
            self.email = email
            self.convertedContactId = convertedContactId
        }
    }
}
