import Foundation
import SandboxSalesforce
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Setup loading, validation and the sandbox clock")
struct SetupTests {
    @Test("a minimal JSON setup gets docs/crm-setup.md's defaults")
    func minimalJSON() throws {
        let json = #"""
            {"orgs":[{"orgId":"00DDn0000000001","clientId":"app","clientSecret":"secret",
                      "campaigns":[{"id":"701Dn0000000001","name":"Summit"}],
                      "leads":[{"id":"00QDn0000000001","lastName":"Doe","company":"Acme","email":"a@b.example"}],
                      "limits":{"dailyApiRequests":15000}}]}
            """#
        let setup = try SalesforceSandboxSetup.decode(from: Data(json.utf8))
        let org = try #require(setup.orgs.first)
        #expect(org.campaigns.first?.statuses == SalesforceSandboxSetup.MemberStatus.channelStatuses)
        #expect(org.campaignMemberFields == [.campaignMemberExternalId()])
        #expect(org.customObjects.first?.name == "UserSessionEngagement__c")
        #expect(org.campaignMemberStatusMode == .reject)
        #expect(org.limits.dailyApiRequests == 15_000)
        #expect(org.limits.collectionRecords == 200)
        #expect(org.limits.compositeSubrequests == 25)
        #expect(org.limits.tokenLifetimeSeconds == 7_200)
        #expect(org.clientCredentialsEnabled)
        let roundTrip = try SalesforceSandboxSetup.decode(from: JSONEncoder().encode(setup))
        #expect(roundTrip == setup)
        _ = try SalesforceSandbox(setup: setup)
    }

    @Test("the standard setup holds the engagement object with docs/events.md's types")
    func engagementObject() throws {
        let object = try #require(SalesforceSandboxSetup.standard().orgs.first?.customObjects.first)
        let fields = Dictionary(uniqueKeysWithValues: object.fields.map { ($0.name, $0) })
        #expect(fields["campaign_member__c"]?.length == 100)
        #expect(fields["entry_id__c"]?.length == 11)
        #expect(fields["entry_name__c"]?.length == 200)
        #expect(fields["email__c"]?.kind == .email)
        #expect(fields["Lead__c"]?.referenceTo == "Lead")
        #expect(fields["channel_id__c"]?.precision == 18 && fields["channel_id__c"]?.scale == 0)
        #expect(fields["plays__c"]?.scale == 0)
        #expect(fields["live_minutes_viewed__c"]?.precision == 16 && fields["live_minutes_viewed__c"]?.scale == 2)
        #expect(fields["high_live_engagement_rate__c"]?.scale == 2)
        #expect(fields["engagement_key__c"]?.externalId == true)
        #expect(fields["engagement_key__c"]?.unique == true && fields["engagement_key__c"]?.caseSensitive == false)
        #expect(fields["engagement_key__c"]?.length == 120)
        #expect(object.fields.count == 8 + 24 + 1)
    }

    @Test(
        "setups that cannot be served are refused with the reason",
        arguments: [
            ("not-an-org-id", SalesforceSandboxSetup.standardCampaignId(0), "org id"),
            (SalesforceSandboxSetup.standardOrgId, "001Dn0000000001AAA", "campaign id"),
        ]
    )
    func invalidSetups(orgId: String, campaignId: String, reason: String) {
        var setup = SalesforceSandboxSetup.standard(orgId: orgId)
        setup.orgs[0].campaigns[0].id = campaignId
        #expect {
            _ = try SalesforceSandbox(setup: setup)
        } throws: { error in
            (error as? SetupError)?.reason.contains(reason) == true
        }
    }

    @Test("a campaign needs one default and one responded status")
    func campaignStatuses() {
        var setup = SalesforceSandboxSetup.standard()
        setup.orgs[0].campaigns[0].statuses = [.init(label: "Sent")]
        #expect(throws: SetupError.self) { _ = try SalesforceSandbox(setup: setup) }
    }

    @Test("ids round-trip between the 15- and 18-character forms")
    func ids() {
        let id = SalesforceId.make(prefix: "00Q", sequence: 12_345)
        #expect(id.count == 18)
        let fifteen = String(id.prefix(15))
        #expect(SalesforceId.canonical18(fifteen) == id)
        #expect(SalesforceId.canonical15(id.lowercased()) == fifteen)
        #expect(SalesforceId.canonical15("00Q-bad") == nil)
        #expect(SalesforceId.canonical18("001000000000000") == "001000000000000AAA")
    }

    @Test("the time scale speeds the sandbox clock up")
    func timeScale() async throws {
        let sandbox = try SalesforceSandbox(setup: .standard(), options: .init(timeScale: 1_000))
        let start = sandbox.now()
        try await Task.sleep(for: .milliseconds(20))
        #expect(sandbox.now().timeIntervalSince(start) >= 20)
        let jumped = sandbox.advanceClock(by: 86_400)
        #expect(jumped.timeIntervalSince(start) >= 86_400)
    }
}

@Suite("Edge limits on URI and header size, and compressed bodies")
struct EdgeTests {
    static let harness = Task { try await SandboxHarness.start() }

    @Test("a URI over 16 KB is 414, URI plus headers over 16 KB is 431")
    func sizes() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let emails = (0..<700).map { "'person\($0)@example.com'" }.joined(separator: ",")
        let long = try await harness.query("SELECT Id FROM Lead WHERE Email IN (\(emails))", token: token)
        #expect(long.status == 414)
        let padding = String(repeating: "x", count: 9_000)
        let query = "SELECT Id FROM Lead WHERE Email = '\(String(repeating: "y", count: 8_000))'"
        let big = try await harness.query(query, token: token, headers: ["X-Padding": padding])
        #expect(big.status == 431)
        let fine = try await harness.query("SELECT Id FROM Lead WHERE Email IN ('a@b.example')", token: token)
        #expect(fine.status == 200)
    }

    @Test("a gzip request body is refused rather than misread")
    func compressed() async throws {
        let harness = try await Self.harness.value
        let token = try await harness.token()
        let reply = try await harness.send(
            "POST",
            "/services/data/v66.0/sobjects/Lead",
            body: "not really gzip",
            token: token,
            headers: ["Content-Encoding": "gzip"]
        )
        #expect(reply.status == 415)
    }
}

@Suite("Running as a service")
struct LifecycleTests {
    @Test("cancelling run() stops the server; a taken port makes waitUntilRunning throw")
    func lifecycle() async throws {
        let sandbox = try SalesforceSandbox(setup: .standard())
        let task = Task { try await sandbox.run() }
        let url = try await sandbox.waitUntilRunning()
        let port = try #require(url.port)
        #expect(sandbox.baseURL == url)

        let rival = try SalesforceSandbox(setup: .standard(), options: .init(port: port))
        let rivalTask = Task { try await rival.run() }
        await #expect(throws: (any Error).self) { _ = try await rival.waitUntilRunning() }
        _ = await rivalTask.result

        task.cancel()
        _ = await task.result
        #expect(sandbox.baseURL == nil)
        await #expect(throws: (any Error).self) {
            _ = try await URLSession(configuration: .ephemeral).data(from: url.appendingPathComponent("_sandbox/orgs"))
        }
    }

    @Test("client credentials may come as HTTP Basic credentials")
    func basicCredentials() async throws {
        let harness = try await SandboxHarness.start()
        let org = harness.sandbox.setup.orgs[0]
        let basic = Data("\(org.clientId):\(org.clientSecret)".utf8).base64EncodedString()
        let reply = try await harness.send(
            "POST",
            "/services/oauth2/token",
            body: "grant_type=client_credentials",
            contentType: "application/x-www-form-urlencoded",
            headers: ["Authorization": "Basic \(basic)"]
        )
        #expect(reply.status == 200)
        #expect(try reply.object()["access_token"] is String)
    }
}
