import Foundation
import SandboxSalesforce
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite(
    "leadsync sandbox salesforce, as a process",
    .enabled(if: LeadSyncProcess.hasSandboxCommand, "needs a leadsync binary with the sandbox command")
)
struct CommandLineTests {
    @Test("Serves a setup file, prints the URL and ids but no secret, injects faults over HTTP, stops on SIGINT")
    func serveAndStop() async throws {
        var org = SalesforceSandboxSetup.standard().orgs[0]
        org.campaignMemberStatusMode = .defaultSilently
        org.leads = [.init(id: "00QDn0000000001", lastName: "Doe", company: "Acme", email: "jane@example.com")]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("salesforce-\(UUID()).json")
        try JSONEncoder().encode(SalesforceSandboxSetup(orgs: [org])).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let child = try LeadSyncProcess([
            "sandbox", "salesforce", "--port", "0", "--setup", file.path, "--time-scale", "100", "--log-level", "debug",
        ])
        defer { child.stop() }
        let banner = try await child.lines { $0.hasPrefix("Stop with") }
        let listening = try #require(banner.first { $0.contains("listening on ") })
        let base = String(listening.split(separator: " ").last ?? "")
        #expect(banner.contains { $0.contains("org 00DDn0000000001MAA: client id leadsync-sandbox-client") })
        #expect(banner.contains { $0.contains("campaign 701Dn0000000001IAA \"Summit 2026\"") })
        #expect(banner.contains { $0.contains("100.0 sandbox seconds per real second") })
        #expect(!banner.joined().contains("leadsync-sandbox-secret"))

        let session = URLSession(configuration: .ephemeral)
        func send(
            _ method: String,
            _ path: String,
            _ body: String,
            token: String? = nil
        ) async throws
            -> (Int, Data)
        {
            var request = URLRequest(url: try #require(URL(string: base + path)))
            request.httpMethod = method
            request.httpBody = Data(body.utf8)
            let type = token == nil && path.hasPrefix("/services/oauth2") ? "x-www-form-urlencoded" : "json"
            request.setValue("application/\(type)", forHTTPHeaderField: "Content-Type")
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
        let (_, issued) = try await send(
            "POST",
            "/services/oauth2/token",
            "grant_type=client_credentials&client_id=leadsync-sandbox-client&client_secret=leadsync-sandbox-secret"
        )
        let token = try #require(
            (try JSONSerialization.jsonObject(with: issued) as? [String: Any])?["access_token"] as? String
        )
        let campaign = "701Dn0000000001IAA"
        let member =
            #"{"CampaignId":"\#(campaign)","LeadId":"00QDn0000000001","Status":"No such status","#
            + #""external_id__c":"\#(campaign)_00QDn0000000001"}"#
        let (created, _) = try await send("POST", "/services/data/v62.0/sobjects/CampaignMember", member, token: token)
        #expect(created == 201)

        let (injected, _) = try await send(
            "POST",
            "/_sandbox/faults",
            #"{"kind":"error","endpoint":"query","errorCode":"SERVER_UNAVAILABLE","remaining":1}"#
        )
        #expect(injected == 200)
        let query = "/services/data/v62.0/query?q=SELECT+Id+FROM+Lead"
        #expect(try await send("GET", query, "", token: token).0 == 503)
        #expect(try await send("GET", query, "", token: token).0 == 200)

        let (_, stored) = try await send("GET", "/_sandbox/orgs/00DDn0000000001MAA/records/CampaignMember", "")
        let members = try #require(try JSONSerialization.jsonObject(with: stored) as? [[String: Any]])
        #expect(members.count == 1)
        #expect((members.first?["fields"] as? [String: Any])?["Status"] as? String == "Created")

        child.signal(SIGINT)
        let rest = try await child.lines { $0.contains("stopped") }
        #expect(rest.last == "leadsync sandbox salesforce: stopped")
        #expect(try await child.exitStatus() == 0)
        // Standard error is complete once the exit is reported: every call was logged at debug level.
        #expect(child.errorText.contains("sandbox call"))
    }

    @Test("--print-setup prints the standard setup; an invalid setup file is refused with its name and reason")
    func setupFiles() async throws {
        let printed = try LeadSyncProcess(["sandbox", "salesforce", "--print-setup"])
        let output = try await printed.lines { $0 == "}" }
        #expect(try await printed.exitStatus() == 0)
        let setup = try SalesforceSandboxSetup.decode(from: Data(output.joined(separator: "\n").utf8))
        #expect(setup == .standard())

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("salesforce-bad-\(UUID()).json")
        try Data(#"{"orgs": [{"orgId": "not-an-org", "clientId": "c", "clientSecret": "s"}]}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let refused = try LeadSyncProcess(["sandbox", "salesforce", "--setup", file.path, "--port", "0"])
        #expect(try await refused.exitStatus() != 0)
        #expect(refused.errorText.contains(file.path))
        #expect(refused.errorText.contains("00D"))
    }
}
