import Config
import Foundation
import LeadModel
import Preflight
import SandboxSalesforce
import Testing

@Suite("leadsync doctor against the Salesforce sandbox")
struct SalesforcePreflightTests {
    static func salesforceOnly(_ report: PreflightReport) -> PreflightReport {
        PreflightReport(checks: report.checks.filter { $0.destination == .salesforce })
    }

    static let campaign = CRMFixture.campaign

    @Test("docs/crm-setup.md's org passes every check")
    func standardSetupPasses() async throws {
        let fixture = try await CRMFixture.start()
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.passed, "\(report.table())")
        #expect(report.checks.allSatisfy { $0.outcome == .pass }, "\(report.table())")
        for item in [
            "credentials (connected app leadsync-sandbox-client)", "campaign \(Self.campaign) (event summit-2026)",
            "campaign \(Self.campaign) member statuses", "CampaignMember.external_id__c",
            "engagement object UserSessionEngagement__c", "UserSessionEngagement__c.engagement_key__c",
            "UserSessionEngagement__c fields", "daily API requests",
        ] {
            #expect(report.check(item)?.outcome == .pass, "\(item): \(report.table())")
        }
    }

    @Test("A CRM's passing trouble (two 503s on describe, a dropped limits call) is read again, not a failed check")
    func transientFailuresAreReadAgain() async throws {
        let fixture = try await CRMFixture.start()
        let describe = fixture.salesforce.inject(
            SandboxFault(kind: .error, endpoint: "sobject.describe", httpStatus: 503, remaining: 2)
        )
        let limits = fixture.salesforce.inject(SandboxFault(kind: .drop, endpoint: "limits", remaining: 1))
        defer { _ = fixture.salesforce.removeFault(id: describe.id ?? "") }
        defer { _ = fixture.salesforce.removeFault(id: limits.id ?? "") }
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.passed, "\(report.table())")
        #expect(report.checks.allSatisfy { $0.outcome == .pass }, "\(report.table())")
        let answered = fixture.salesforce.calls().filter { $0.endpoint.hasPrefix("sobject.describe") }
        #expect(answered.count { $0.httpStatus == 503 } == 2, "the faults hit: \(answered.map(\.httpStatus))")
    }

    @Test("A campaign without a member status: doctor names the label and where to add it")
    func missingStatus() async throws {
        var org = CRMFixture.salesforceOrg()
        org.campaigns[0].statuses.removeAll { $0.label == "Attended" }
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        let item = "campaign \(Self.campaign) status \"Attended\""
        #expect(report.failedItems == [item], "\(report.table())")
        let check = try #require(report.check(item))
        #expect(check.blocking == false)
        #expect(check.fix?.contains("add \"Attended\" in the campaign's Campaign Member Statuses") == true)
    }

    @Test("A configured label the campaigns lack is named with the setting to change")
    func configuredLabel() async throws {
        let fixture = try await CRMFixture.start()
        let config = try fixture.config(
            salesforce: "      campaignMember: { statusLabels: { Un-registered: Unregistered } }"
        )
        let report = Self.salesforceOnly(await fixture.doctor(config))
        let items = [
            "campaign \(Self.campaign) status \"Unregistered\"",
            "campaign \(CRMFixture.otherCampaign) status \"Unregistered\"",
        ]
        #expect(report.failedItems == items, "\(report.table())")
        #expect(report.check(items[0])?.fix?.contains("tenants[].salesforce.campaignMember.statusLabels") == true)
    }

    @Test("No CampaignMember External ID: doctor names the field, blocks the writer and says how to create it")
    func missingExternalId() async throws {
        var org = CRMFixture.salesforceOrg()
        org.campaignMemberFields = []
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["CampaignMember.external_id__c"], "\(report.table())")
        let check = try #require(report.check("CampaignMember.external_id__c"))
        #expect(check.blocking)
        #expect(check.fix?.contains("Object Manager > Campaign Member > Fields & Relationships > New") == true)
    }

    @Test("An External ID that is not unique is found")
    func externalIdNotUnique() async throws {
        var org = CRMFixture.salesforceOrg()
        org.campaignMemberFields[0].unique = false
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["CampaignMember.external_id__c"], "\(report.table())")
        #expect(report.check("CampaignMember.external_id__c")?.detail.contains("it is not unique") == true)
    }

    @Test("No engagement object: doctor names it, blocks the writer and says how to create it")
    func missingEngagementObject() async throws {
        var org = CRMFixture.salesforceOrg()
        org.customObjects = []
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.failedItems == ["engagement object UserSessionEngagement__c"], "\(report.table())")
        let check = try #require(report.check("engagement object UserSessionEngagement__c"))
        #expect(check.blocking)
        #expect(check.fix?.contains("create the custom object UserSessionEngagement__c") == true)
    }

    @Test("An engagement field missing or of the wrong type is named")
    func engagementFields() async throws {
        var org = CRMFixture.salesforceOrg()
        org.customObjects[0].fields.removeAll { $0.name == "plays__c" }
        if let index = org.customObjects[0].fields.firstIndex(where: { $0.name == "channel_id__c" }) {
            org.customObjects[0].fields[index] = .text("channel_id__c", length: 20)
        }
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(
            report.failedItems == ["UserSessionEngagement__c.channel_id__c", "UserSessionEngagement__c.plays__c"],
            "\(report.table())"
        )
        #expect(report.check("UserSessionEngagement__c.plays__c")?.blocking == true)
        #expect(report.check("UserSessionEngagement__c.channel_id__c")?.blocking == false)
        #expect(report.check("UserSessionEngagement__c.channel_id__c")?.detail.contains("is string") == true)
    }

    @Test("A campaign the configuration maps but the org lacks: doctor names it and the setting")
    func missingCampaign() async throws {
        let fixture = try await CRMFixture.start()
        let unknown = SalesforceSandboxSetup.standardCampaignId(7)
        let config = try fixture.config(
            events: "      summit-2026: { marketoProgramId: 1001, salesforceCampaignId: \(unknown) }"
        )
        let report = Self.salesforceOnly(await fixture.doctor(config))
        #expect(report.failedItems == ["campaign \(unknown) (event summit-2026)"], "\(report.table())")
        let check = try #require(report.check("campaign \(unknown) (event summit-2026)"))
        #expect(check.blocking)
        #expect(check.fix?.contains("tenants[].events[\"summit-2026\"].salesforceCampaignId") == true)
    }

    @Test("Refused credentials are explained by the OAuth error")
    func refusedSecret() async throws {
        var org = CRMFixture.salesforceOrg()
        org.clientSecret = "rotated"
        let fixture = try await CRMFixture.start(salesforce: org)
        let report = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(report.checks.count == 1)
        #expect(report.checks.first?.blocking == true)
        #expect(report.checks.first?.fix?.contains("Consumer Secret") == true)
    }

    @Test("A renamed engagement object and External IDs pass through configuration alone")
    func renamedObjects() async throws {
        var org = CRMFixture.salesforceOrg()
        org.customObjects[0].name = "Session_Engagement__c"
        if let index = org.customObjects[0].fields.firstIndex(where: { $0.name == "engagement_key__c" }) {
            org.customObjects[0].fields[index].name = "Key__c"
        }
        org.campaignMemberFields[0].name = "LeadSync_Key__c"
        let fixture = try await CRMFixture.start(salesforce: org)
        let config = try fixture.config(
            salesforce: """
                      campaignMember: { externalIdField: LeadSync_Key__c }
                      engagement: { object: Session_Engagement__c, externalIdField: Key__c }
                """
        )
        let report = Self.salesforceOnly(await fixture.doctor(config))
        #expect(report.passed, "\(report.table())")
    }

    @Test("A blocking failure stops a writer's start, a status one does not; the report renders as a table and JSON")
    func writerGate() async throws {
        var org = CRMFixture.salesforceOrg()
        org.campaigns[0].statuses.removeAll { $0.label == "Blocked" }
        let fixture = try await CRMFixture.start(salesforce: org)
        let statusOnly = Self.salesforceOnly(await fixture.doctor(try fixture.config()))
        #expect(!statusOnly.passed)
        try Preflight.requireNoBlockingFailure(statusOnly, destination: .salesforce, logger: CRMFixture.logger)
        #expect(statusOnly.table().contains("FAIL"))
        #expect(statusOnly.table().contains("fix:   add \"Blocked\""))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(statusOnly.json().utf8)) as? [String: Any]
        )
        #expect(json["passed"] as? Bool == false)
        #expect((json["checks"] as? [[String: Any]])?.contains { $0["outcome"] as? String == "fail" } == true)

        let unknown = SalesforceSandboxSetup.standardCampaignId(7)
        let blocking = Self.salesforceOnly(
            await fixture.doctor(
                try fixture.config(
                    events: "      summit-2026: { marketoProgramId: 1001, salesforceCampaignId: \(unknown) }"
                )
            )
        )
        let refusal = #expect(throws: PreflightRefusal.self) {
            try Preflight.requireNoBlockingFailure(blocking, destination: .salesforce, logger: CRMFixture.logger)
        }
        #expect(refusal?.failures.map(\.item) == ["campaign \(unknown) (event summit-2026)"])
        #expect(refusal?.description.contains("--skip-preflight") == true)
    }
}
