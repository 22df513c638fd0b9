import SandboxSalesforce

// MARK: - Fixtures

/// Records the suites start from: ids are deterministic so tests can name them.
enum Fixtures {
    static func leadId(_ n: Int) -> String { SalesforceId.make(prefix: "00Q", sequence: n) }
    static func contactId(_ n: Int) -> String { SalesforceId.make(prefix: "003", sequence: n) }
    static var campaign: String { SalesforceSandboxSetup.standardCampaignId(0) }
    static var otherCampaign: String { SalesforceSandboxSetup.standardCampaignId(1) }

    /// Jane and John (same email in two cases), a lead converted to contact 1, and `bulk` numbered leads.
    static func setup(numberedLeads: Int = 0) -> SalesforceSandboxSetup {
        var leads = [
            SalesforceSandboxSetup.Lead(
                id: leadId(1),
                firstName: "Jane",
                lastName: "Doe",
                company: "Acme",
                email: "jane.doe@example.com"
            ),
            SalesforceSandboxSetup.Lead(
                id: leadId(2),
                firstName: "John",
                lastName: "Roe",
                company: "Acme",
                email: "John.Roe@Example.com"
            ),
            SalesforceSandboxSetup.Lead(
                id: leadId(3),
                lastName: "Roe",
                company: "Other",
                email: "john.roe@example.com"
            ),
            SalesforceSandboxSetup.Lead(
                id: leadId(4),
                lastName: "Converted",
                company: "Acme",
                email: "converted@example.com",
                convertedContactId: contactId(1)
            ),
        ]
        for n in 0..<numberedLeads {
            leads.append(
                .init(
                    id: leadId(100 + n),
                    lastName: "Numbered \(n)",
                    company: "Bulk Co",
                    email: "lead\(n)@bulk.example"
                )
            )
        }
        return .standard(
            leads: leads,
            contacts: [.init(id: contactId(1), lastName: "Converted", email: "converted@example.com")]
        )
    }
}
