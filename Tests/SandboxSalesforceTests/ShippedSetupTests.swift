import Foundation
import SandboxSalesforce
import Testing

@Suite("The shipped setup file and config/dev.yaml agree with the standard setup")
struct ShippedSetupTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("config/sandbox/salesforce.json decodes to exactly SalesforceSandboxSetup.standard()")
    func shippedFile() throws {
        let url = Self.root.appendingPathComponent("config/sandbox/salesforce.json")
        #expect(try SalesforceSandboxSetup.load(contentsOf: url) == SalesforceSandboxSetup.standard())
    }

    @Test("The standard org holds the client id, secret and campaign ids config/dev.yaml names")
    func devConfiguration() throws {
        let dev = try String(contentsOf: Self.root.appendingPathComponent("config/dev.yaml"), encoding: .utf8)
        let org = try #require(SalesforceSandboxSetup.standard().orgs.first)
        #expect(dev.contains("clientId: \(org.clientId)"))
        #expect(dev.contains("loginURL: http://127.0.0.1:9472"))
        #expect(org.campaigns.map(\.id) == ["701Dn0000000001IAA", "701Dn0000000002IAA"])
        for campaign in org.campaigns {
            #expect(dev.contains("salesforceCampaignId: \(campaign.id)"))
        }
        #expect(org.orgId == "00DDn0000000001MAA")
        let embedded = try String(
            contentsOf: Self.root.appendingPathComponent("Sources/Config/LeadSyncConfig+EmbeddedDefault.swift"),
            encoding: .utf8
        )
        #expect(embedded.contains("\"LEADSYNC_DEV_SALESFORCE_CLIENT_SECRET\": \"\(org.clientSecret)\""))
    }

    @Test("The standard org upserts UserSessionEngagement__c by engagement_key__c, case-insensitively")
    func engagementKeyUpserts() async throws {
        let harness = try await SandboxHarness.start(Fixtures.setup())
        let token = try await harness.token()
        let key = "\(Fixtures.campaign)_\(Fixtures.leadId(1))_1_abcd1234"
        let path = "/services/data/v62.0/composite/sobjects/UserSessionEngagement__c/engagement_key__c"
        func upsert(_ key: String, plays: Int) async throws -> [[String: Any]] {
            let record =
                #"{"attributes":{"type":"UserSessionEngagement__c"},"engagement_key__c":"\#(key)","#
                + #""Lead__c":"\#(Fixtures.leadId(1))","entry_id__c":"1_abcd1234","plays__c":\#(plays)}"#
            let reply = try await harness.send("PATCH", path, body: #"{"records":[\#(record)]}"#, token: token)
            return try #require(try reply.json() as? [[String: Any]], "\(reply.text)")
        }
        #expect(try await upsert(key, plays: 1).first?["created"] as? Bool == true)
        #expect(try await upsert(key.lowercased(), plays: 3).first?["created"] as? Bool == false)
        let stored = harness.sandbox.engagementRecords()
        #expect(stored.count == 1)
        #expect(stored.first?["plays__c"] == .number(3))
    }
}
