import Salesforce
import SandboxSalesforce

// MARK: - SeedData

/// What the test orgs hold at start. Ids are deterministic so tests can name them.
enum SeedData {
    static func leadId(_ n: Int) -> String { SalesforceId.make(prefix: "00Q", sequence: n) }
    static func contactId(_ n: Int) -> String { SalesforceId.make(prefix: "003", sequence: n) }
    static var campaign: String { SalesforceSandboxSetup.standardCampaignId(0) }
    static var otherCampaign: String { SalesforceSandboxSetup.standardCampaignId(1) }

    /// The External ID field the tests give `UserSessionEngagement__c` (docs/events.md names none).
    static let engagementKeyField = "engagement_key__c"

    /// The email of numbered lead `n`.
    static func numberedEmail(_ n: Int) -> String { "attendee\(n)@summit.example" }

    /// The `external_id__c` of a campaign member: `{campaignId}_{leadId}`.
    static func memberKey(campaign: String = campaign, lead: String) -> String { "\(campaign)_\(lead)" }

    /// The standard org plus: Jane; two leads sharing an email in different cases; a lead converted to contact
    /// 1; `numberedLeads` leads `attendee{n}@summit.example` (ids `leadId(100 + n)`); an External ID on the
    /// engagement object.
    static func setup(
        numberedLeads: Int = 0,
        dailyApiRequests: Int = 100_000,
        bulkProcessingSeconds: Double = 0.4,
        uniqueEngagementKey: Bool = true
    ) -> SalesforceSandboxSetup {
        var leads = [
            SalesforceSandboxSetup.Lead(
                id: leadId(1),
                firstName: "Jane",
                lastName: "Doe",
                company: "Acme",
                email: "jane.doe@example.com"
            ),
            SalesforceSandboxSetup.Lead(id: leadId(2), lastName: "Roe", company: "Acme", email: "John.Roe@Example.com"),
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
            SalesforceSandboxSetup.Lead(
                id: leadId(5),
                lastName: "O'Brien",
                company: "Acme",
                email: "o'brien@example.com"
            ),
        ]
        for n in 0..<numberedLeads {
            leads.append(
                .init(id: leadId(100 + n), lastName: "Attendee \(n)", company: "Summit Co", email: numberedEmail(n))
            )
        }
        var setup = SalesforceSandboxSetup.standard(
            leads: leads,
            contacts: [.init(id: contactId(1), lastName: "Converted", email: "converted@example.com")]
        )
        setup.orgs[0].customObjects = [
            .userSessionEngagement(
                externalId: .init(
                    name: engagementKeyField,
                    kind: .text,
                    length: 120,
                    unique: uniqueEngagementKey,
                    caseSensitive: false,
                    externalId: true
                )
            )
        ]
        setup.orgs[0].limits.dailyApiRequests = dailyApiRequests
        setup.orgs[0].limits.bulkProcessingSeconds = bulkProcessingSeconds
        return setup
    }

    /// A CampaignMember for the create path of an upsert: key, campaign, lead and status.
    static func newMember(lead: String, status: String, campaign: String = campaign) -> SalesforceRecord {
        SalesforceRecord(
            type: "CampaignMember",
            fields: [
                "external_id__c": .string(memberKey(campaign: campaign, lead: lead)),
                "CampaignId": .string(campaign),
                "LeadId": .string(lead),
                "Status": .string(status),
            ]
        )
    }

    /// A CampaignMember for the update path: key and status only (create-only fields left out).
    static func memberStatus(lead: String, status: String, campaign: String = campaign) -> SalesforceRecord {
        SalesforceRecord(
            type: "CampaignMember",
            fields: [
                "external_id__c": .string(memberKey(campaign: campaign, lead: lead)),
                "Status": .string(status),
            ]
        )
    }
}
