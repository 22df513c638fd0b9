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
}
