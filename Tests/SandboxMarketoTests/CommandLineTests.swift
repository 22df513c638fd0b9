import Foundation
import SandboxMarketo
import TestSupport
import Testing

@Suite(
    "leadsync sandbox marketo, as a process",
    .enabled(if: LeadSyncProcess.hasSandboxCommand, "needs a leadsync binary with the sandbox command")
)
struct CommandLineTests {
    @Test("Serves the standard setup, prints the URL and ids but no secret, logs calls at debug, stops on SIGTERM")
    func serveAndStop() async throws {
        let child = try LeadSyncProcess(
            ["sandbox", "marketo", "--port", "0", "--time-scale", "60", "--log-level", "debug"]
        )
        defer { child.stop() }
        let banner = try await child.lines { $0.hasPrefix("Stop with") }
        let listening = try #require(banner.first { $0.contains("listening on ") })
        let address = String(listening.split(separator: " ").last ?? "")
        let base = try #require(URL(string: address))
        #expect(banner.contains { $0.contains("subscription 123-ABC-456: client id leadsync-client-id") })
        #expect(banner.contains { $0.contains("1001, 1002, 1003") })
        #expect(!banner.joined().contains("leadsync-client-secret"))

        let client = MarketoHTTPClient(base: base)
        let identity = try await client.send(
            "GET",
            "/identity/oauth/token",
            query: [
                "grant_type": "client_credentials", "client_id": "leadsync-client-id",
                "client_secret": "leadsync-client-secret",
            ]
        )
        let token = try #require(identity.object["access_token"] as? String)
        // 60 sandbox seconds per real second: the 3600 s token lives one real minute.
        let expiresIn = try #require(identity.object["expires_in"] as? Int)
        #expect((55...60).contains(expiresIn))

        let sync = try await client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "cli-a@example.com"], ["email": "cli-b@example.com"]]],
            token: token
        )
        #expect(sync.result.map { $0["status"] as? String } == ["created", "created"])
        let fault = try await client.send(
            "POST",
            "/_sandbox/faults",
            json: ["endpoint": "/rest/v1/leads/describe.json", "errorCode": "611", "remaining": 1]
        )
        #expect(fault.status == 201)
        #expect(try await client.send("GET", "/rest/v1/leads/describe.json", token: token).errorCode == "611")
        #expect(try await client.send("GET", "/rest/v1/leads/describe.json", token: token).success == true)

        let calls = try await client.send("GET", "/_sandbox/calls")
        let log = calls.json as? [[String: Any]] ?? []
        #expect(log.first { $0["endpoint"] as? String == "/rest/v1/leads.json" }?["records"] as? Int == 2)
        let stored = try await client.send("GET", "/_sandbox/subscriptions/123-ABC-456/leads")
        #expect((stored.json as? [Any])?.count == 2)

        child.signal(SIGTERM)
        let rest = try await child.lines { $0.contains("stopped") }
        #expect(rest.last == "leadsync sandbox marketo: stopped")
        #expect(try await child.exitStatus() == 0)
        // Standard error is complete once the exit is reported: every call was logged at debug level.
        #expect(child.errorText.contains("sandbox call"))
    }

    @Test("--print-setup prints the standard setup; a YAML or broken setup file is refused with its name")
    func setupFiles() async throws {
        let printed = try LeadSyncProcess(["sandbox", "marketo", "--print-setup"])
        let output = try await printed.lines { $0 == "}" }
        #expect(try await printed.exitStatus() == 0)
        let setup = try JSONDecoder().decode(
            MarketoSandboxSetup.self,
            from: Data(output.joined(separator: "\n").utf8)
        )
        #expect(setup == .standard())

        let yaml = try LeadSyncProcess(["sandbox", "marketo", "--setup", "config/sandbox/marketo.yaml"])
        #expect(try await yaml.exitStatus() != 0)
        #expect(yaml.errorText.contains("marketo.yaml: sandbox setups are JSON files"))

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-marketo-\(UUID()).json")
        try Data(#"{"subscriptions": [{"munchkinId": "X-1", "clientId": "c"}]}"#.utf8).write(to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let refused = try LeadSyncProcess(["sandbox", "marketo", "--setup", broken.path])
        #expect(try await refused.exitStatus() != 0)
        #expect(refused.errorText.contains("missing key 'clientSecret'"))

        let misspelt = FileManager.default.temporaryDirectory.appendingPathComponent("misspelt-\(UUID()).json")
        try Data(
            #"""
            {"subscriptions": [{"munchkinId": "X-1", "clientId": "c", "clientSecret": "s", "apiUser": null,
              "limits": {"dailyQuota": 10, "windowSecs": 5}}]}
            """#.utf8
        ).write(to: misspelt)
        defer { try? FileManager.default.removeItem(at: misspelt) }
        let unknown = try LeadSyncProcess(["sandbox", "marketo", "--setup", misspelt.path])
        #expect(try await unknown.exitStatus() != 0)
        #expect(unknown.errorText.contains("unknown key 'subscriptions[0].limits.windowSecs'"))
        let shipped = try LeadSyncProcess(
            ["sandbox", "marketo", "--setup", "config/sandbox/marketo.json", "--print-setup"]
        )
        _ = try await shipped.lines { $0 == "}" }
        #expect(try await shipped.exitStatus() == 0)
    }
}
