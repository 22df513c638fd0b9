// MARK: - SalesforceSandboxSetup + Standard

extension SalesforceSandboxSetup {
    /// The org id of ``standard(orgId:clientId:clientSecret:campaigns:leads:contacts:)``.
    public static let standardOrgId = SalesforceId.make(prefix: "00D", sequence: 1)

    /// The campaign ids of the standard setup: `standardCampaignId(0)` is "Summit 2026".
    public static func standardCampaignId(_ index: Int) -> String {
        SalesforceId.make(prefix: "701", sequence: index + 1)
    }

    /// One org provisioned as docs/crm-setup.md describes: campaigns with the nine channel statuses, the
    /// CampaignMember `external_id__c` field, `UserSessionEngagement__c` with the `engagement_key__c` External ID
    /// the LeadSync writer upserts by (``CustomField/engagementKey(name:)``), client credentials and JWT bearer
    /// enabled, production limits, and reject mode for unknown member statuses.
    /// - Parameters:
    ///   - orgId: The org id.
    ///   - clientId: The connected app's consumer key.
    ///   - clientSecret: The connected app's secret.
    ///   - campaigns: Campaign names; ids are ``standardCampaignId(_:)`` in order.
    ///   - leads: Leads present at start.
    ///   - contacts: Contacts present at start.
    public static func standard(
        orgId: String = standardOrgId,
        clientId: String = "leadsync-sandbox-client",
        clientSecret: String = "leadsync-sandbox-secret",
        campaigns: [String] = ["Summit 2026", "Webinar Series 2026"],
        leads: [Lead] = [],
        contacts: [Contact] = []
    ) -> SalesforceSandboxSetup {
        let org = Org(
            orgId: orgId,
            clientId: clientId,
            clientSecret: clientSecret,
            jwtBearer: JWTBearer(approvedUsernames: ["integration@leadsync.example"]),
            campaigns: campaigns.enumerated().map { Campaign(id: standardCampaignId($0.offset), name: $0.element) },
            leads: leads,
            contacts: contacts,
            customObjects: [CustomObject.userSessionEngagement(externalId: CustomField.engagementKey())]
        )
        return SalesforceSandboxSetup(orgs: [org])
    }
}
