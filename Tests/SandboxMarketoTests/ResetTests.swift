import Foundation
import SandboxMarketo
import Testing

@Suite("POST /_sandbox/reset puts a running sandbox back to its setup")
struct ResetTests {
    @Test("Data, tokens, limit use, the call log and fault rules are cleared; the setup's programs remain")
    func reset() async throws {
        var limits = MarketoSandboxSetup.Limits()
        limits.callsPerWindow = 2
        let f = try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [SandboxFixture.subscription("RESET-1", limits: limits)])
        )
        let token = try await f.token("RESET-1")
        let created = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "before@reset.example.com"]]],
            token: token
        )
        let leadId = try #require(created.result.first?["id"] as? Int)
        _ = try await f.client.send(
            "POST",
            "/rest/v1/programs/1001/members/status.json",
            json: ["statusName": "Registered", "input": [["leadId": leadId]]],
            token: token
        )
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).errorCode == "606")
        f.sandbox.addFault(MarketoFault(munchkinId: "RESET-1", errorCode: "611"))

        let reset = try await f.client.send("POST", "/_sandbox/reset")
        #expect(reset.status == 200)
        let snapshot = try #require(f.sandbox.snapshot("RESET-1"))
        #expect(snapshot.leads.isEmpty)
        #expect(snapshot.memberships.isEmpty)
        #expect(snapshot.calls.isEmpty)
        #expect(f.sandbox.faults().isEmpty)
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).errorCode == "601")

        let fresh = try await f.token("RESET-1")
        #expect(fresh != token)
        let program = try await f.client.send("GET", "/rest/asset/v1/program/1001.json", token: fresh)
        #expect(program.success == true)
        let again = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "before@reset.example.com"]]],
            token: fresh
        )
        #expect(again.result.first?["status"] as? String == "created")
    }
}
