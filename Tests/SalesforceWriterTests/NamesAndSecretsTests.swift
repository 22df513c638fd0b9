import Config
import Delivery
import Foundation
import LeadModel
import Logging
import SalesforceWriter
import SandboxSalesforce
import Testing

/// A sandbox with one org, provisioned as given, for the tests that need their own setup.
final class OneOrgSandbox: Sendable {
    let sandbox: SalesforceSandbox
    let baseURL: URL
    private let task: Task<Void, any Error>

    private init(sandbox: SalesforceSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
    }

    deinit {
        task.cancel()
    }

    static func start(_ org: SalesforceSandboxSetup.Org) async throws -> OneOrgSandbox {
        let sandbox = try SalesforceSandbox(
            setup: SalesforceSandboxSetup(orgs: [org]),
            options: .init(timeScale: 1, logger: WriterSandbox.logger)
        )
        let task = Task { try await sandbox.run() }
        return OneOrgSandbox(sandbox: sandbox, baseURL: try await sandbox.waitUntilRunning(), task: task)
    }

    /// The tenant of a configuration file: `salesforceLines` are appended to its `salesforce` section; its secret
    /// is the file `secretFile`.
    func tenant(salesforce salesforceLines: String = "", secretFile: URL) throws -> TenantSettings {
        let text = """
            tenants:
              - tenant: acme
                destinations: [salesforce]
                events:
                  summit-2026: { salesforceCampaignId: \(WriterSandbox.campaign) }
                salesforce:
                  loginURL: \(baseURL.absoluteString)
                  clientId: leadsync-sandbox-client
                  clientSecret: { file: \(secretFile.path) }
            \(salesforceLines)
            """
        let config = try LeadSyncConfig.parse(
            text,
            fileName: "leadsync.yaml",
            source: SecretSource(environment: [:]),
            role: .writer(.salesforce)
        )
        return try #require(config.tenants.first)
    }

    /// A secret file holding `value` (with the line break Kubernetes Secrets and `echo` add).
    static func secretFile(_ value: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sf-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("client-secret")
        try (value + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}

@Suite("Salesforce writer: API names from the configuration, rotated secrets, no duplicate keys in a request")
struct NamesAndSecretsTests {
    static let converted = SalesforceId.make(prefix: "00Q", sequence: 5)
    static let contact = SalesforceId.make(prefix: "003", sequence: 3)

    @Test("A renamed engagement object, External IDs and status labels work through configuration alone")
    func renamedObjects() async throws {
        var org = SalesforceSandboxSetup.standard().orgs[0]
        org.customObjects[0].name = "Session_Engagement__c"
        for (index, field) in org.customObjects[0].fields.enumerated() {
            if field.name == "engagement_key__c" { org.customObjects[0].fields[index].name = "Key__c" }
            if field.name == "Lead__c" { org.customObjects[0].fields[index].name = "Lead_Ref__c" }
        }
        org.campaignMemberFields[0].name = "LeadSync_Key__c"
        org.campaigns[0].statuses = org.campaigns[0].statuses.map { status in
            var status = status
            if status.label == "Attended" { status.label = "Was There" }
            return status
        }
        let env = try await OneOrgSandbox.start(org)
        let tenant = try env.tenant(
            salesforce: """
                      campaignMember:
                        externalIdField: LeadSync_Key__c
                        statusLabels: { Attended: Was There }
                      engagement:
                        object: Session_Engagement__c
                        externalIdField: Key__c
                        fields: { lead: Lead_Ref__c }
                """,
            secretFile: try OneOrgSandbox.secretFile("leadsync-sandbox-secret")
        )
        let sink = try SinkDriver.sink([tenant])
        let outcomes = await SinkDriver.deliver(
            sink,
            "acme",
            [
                try Commands.status("acme", "renamed@example.com", .attended),
                try Commands.engagement("acme", "renamed@example.com", plays: 5),
            ],
            limiter: SinkDriver.limiter(sink, "acme")
        )
        #expect(outcomes == [.delivered, .delivered])
        let member = try #require(env.sandbox.campaignMembers().first)
        #expect(member["Status"].string == "Was There")
        #expect(member["LeadSync_Key__c"].string?.hasPrefix("\(WriterSandbox.campaign)_") == true)
        let record = try #require(env.sandbox.records("Session_Engagement__c").first)
        #expect(record["plays__c"].number == 5)
        #expect(record["Lead_Ref__c"].string != nil)
        #expect(record["Key__c"].string?.hasSuffix("_1_abcd1234") == true)
    }

    @Test("Rotating the mounted secret while the writer runs: the next call reads it and succeeds, no restart")
    func rotatedSecretFile() async throws {
        let env = try await OneOrgSandbox.start(SalesforceSandboxSetup.standard().orgs[0])
        let file = try OneOrgSandbox.secretFile("leadsync-sandbox-secret")
        let sink = try SinkDriver.sink([try env.tenant(secretFile: file)])
        let limiter = SinkDriver.limiter(sink, "acme")
        let before = await SinkDriver.deliver(
            sink,
            "acme",
            [try Commands.status("acme", "before@example.com", .registered)],
            limiter: limiter
        )
        #expect(before == [.delivered])

        // The admin rotates the connected app's secret and revokes its sessions; the Kubernetes Secret mounted
        // as a file is updated in place.
        env.sandbox.rotateClientSecret(
            orgId: SalesforceSandboxSetup.standardOrgId,
            to: "rotated-secret",
            revokingTokens: true
        )
        try "rotated-secret\n".write(to: file, atomically: true, encoding: .utf8)
        let after = await SinkDriver.deliver(
            sink,
            "acme",
            [try Commands.status("acme", "after@example.com", .registered)],
            limiter: limiter
        )
        #expect(after == [.delivered])
        let tokens = env.sandbox.calls().filter { $0.endpoint == "oauth.token" }.map(\.httpStatus)
        #expect(tokens == [200, 400, 200])
        #expect(env.sandbox.campaignMembers().count == 2)
    }

    @Test("Two emails of one person: one engagement row per External ID in a request, the other superseded")
    func oneRowPerKey() async throws {
        var org = SalesforceSandboxSetup.standard().orgs[0]
        org.leads = [
            .init(
                id: Self.converted,
                lastName: "Moved",
                company: "Acme",
                email: "old.address@example.com",
                convertedContactId: Self.contact
            )
        ]
        org.contacts = [.init(id: Self.contact, lastName: "Moved", email: "new.address@example.com")]
        let env = try await OneOrgSandbox.start(org)
        let sink = try SinkDriver.sink([
            try env.tenant(secretFile: try OneOrgSandbox.secretFile("leadsync-sandbox-secret"))
        ])
        let outcomes = await SinkDriver.deliver(
            sink,
            "acme",
            [
                try Commands.engagement("acme", "old.address@example.com", plays: 2, at: 0),
                try Commands.engagement("acme", "new.address@example.com", plays: 4, at: 1_000),
            ],
            limiter: SinkDriver.limiter(sink, "acme")
        )
        guard case .skipped(let reason) = outcomes[0] else {
            Issue.record("the older row was not superseded: \(outcomes)")
            return
        }
        #expect(reason.contains("superseded"))
        #expect(outcomes[1] == .delivered)
        let upserts = env.sandbox.calls().filter { $0.endpoint == "collections.upsert" }
        #expect(upserts.map(\.records) == [1])
        #expect(upserts.allSatisfy { $0.rowErrorCodes.isEmpty })
        let records = env.sandbox.engagementRecords()
        #expect(records.count == 1)
        #expect(records.first?["plays__c"].number == 4)
    }
}
