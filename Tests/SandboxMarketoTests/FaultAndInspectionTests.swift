import Foundation
import SandboxMarketo
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Fault injection and inspection over HTTP")
struct FaultAndInspectionTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("F-RATE-A"), SandboxFixture.subscription("F-RATE-B"),
                SandboxFixture.subscription("F-DROP"), SandboxFixture.subscription("F-LOG"),
            ])
        )
    }

    private func addFault(_ f: SandboxFixture, _ rule: [String: Any]) async throws -> String {
        let reply = try await f.client.send("POST", "/_sandbox/faults", json: rule)
        #expect(reply.status == 201)
        return try #require(reply.object["id"] as? String)
    }

    private func outcomes(_ f: SandboxFixture, _ munchkin: String, count: Int) async throws -> [String] {
        let token = try await f.token(munchkin)
        var codes: [String] = []
        for _ in 0..<count {
            let reply = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
            codes.append(reply.errorCode ?? "ok")
        }
        return codes
    }

    @Test("Error codes at a rate are seeded (the same seed gives the same calls), scoped per subscription")
    func seededRate() async throws {
        let f = try await Self.fixture.value
        for munchkin in ["F-RATE-A", "F-RATE-B"] {
            _ = try await addFault(
                f,
                [
                    "munchkinId": munchkin, "endpoint": "/rest/v1/leads/describe.json", "errorCode": "611",
                    "rate": 0.5, "seed": 42,
                ]
            )
        }
        let a = try await outcomes(f, "F-RATE-A", count: 40)
        let b = try await outcomes(f, "F-RATE-B", count: 40)
        #expect(a == b)
        let failed = a.filter { $0 == "611" }.count
        #expect(failed > 5 && failed < 35)
        #expect(Set(a) == ["ok", "611"])
        let stats = try await f.client.send("GET", "/rest/v1/stats/errors.json", token: try await f.token("F-RATE-A"))
        let errors = stats.result.first?["errors"] as? [[String: Any]] ?? []
        #expect(errors.first?["errorCode"] as? String == "611")
        #expect(errors.first?["count"] as? Int == failed)
    }

    @Test("Dropped connections, 5xx, latency, a bounded count, and DELETE clearing the rules")
    func dropAndStatus() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("F-DROP")
        let drop = try await addFault(
            f,
            [
                "munchkinId": "F-DROP", "endpoint": "/rest/v1/leads.json", "method": "GET", "dropConnection": true,
                "remaining": 1,
            ]
        )
        // A fresh connection: on a reused keep-alive connection libcurl silently resends a request whose
        // connection closed before any byte came back, and the test would see the resend instead.
        let freshClient = MarketoHTTPClient(base: f.client.base)
        await #expect(throws: (any Error).self) {
            _ = try await freshClient.send(
                "GET",
                "/rest/v1/leads.json",
                query: ["filterType": "email", "filterValues": "a@b.co"],
                token: token
            )
        }
        let after = try await f.client.send(
            "GET",
            "/rest/v1/leads.json",
            query: ["filterType": "email", "filterValues": "a@b.co"],
            token: token
        )
        #expect(after.success == true)
        let dropped = f.sandbox.calls(munchkinId: "F-DROP").first { $0.httpStatus == 0 }
        #expect(dropped?.faults == [drop])

        _ = try await addFault(
            f,
            ["munchkinId": "F-DROP", "endpoint": "/rest/v1/leads/describe.json", "httpStatus": 502]
        )
        let slow = try await addFault(
            f,
            [
                "munchkinId": "F-DROP", "endpoint": "/rest/v1/activities/external/types.json", "latencyMs": 300,
            ]
        )
        let gateway = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
        #expect(gateway.status == 502)
        let started = Date()
        let delayed = try await f.client.send("GET", "/rest/v1/activities/external/types.json", token: token)
        #expect(delayed.success == true)
        #expect(Date().timeIntervalSince(started) >= 0.3)
        let listed = try await f.client.send("GET", "/_sandbox/faults")
        let ids = (listed.json as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains(slow))
        let cleared = try await f.client.send("DELETE", "/_sandbox/faults", query: ["munchkinId": "F-DROP"])
        #expect(cleared.object["removed"] as? Int == 3)
        #expect(f.sandbox.faults().allSatisfy { $0.munchkinId != "F-DROP" })
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).success == true)
    }

    @Test("The call log counts records per call, reason codes and HTTP statuses; inspection over HTTP")
    func callLog() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("F-LOG")
        _ = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: [
                "action": "createOnly", "input": [["email": "x@log.example.com"], ["email": "x@log.example.com"]],
            ],
            token: token
        )
        _ = try await f.client.send(
            "POST",
            "/rest/v1/programs/1001/members/status.json",
            json: ["statusName": "Registered", "input": [["leadId": 1], ["leadId": 2], ["leadId": 3]]],
            token: token
        )
        let calls = f.sandbox.calls(munchkinId: "F-LOG")
        #expect(
            calls.map(\.endpoint) == [
                "/identity/oauth/token", "/rest/v1/leads.json", "/rest/v1/programs/{programId}/members/status.json",
            ]
        )
        #expect(calls.map(\.records) == [0, 2, 3])
        #expect(calls[1].recordErrorCodes == ["1005"])

        let counters = try await f.client.send("GET", "/_sandbox/subscriptions/F-LOG/counters")
        #expect(counters.object["calls"] as? Int == 3)
        #expect(counters.object["records"] as? Int == 5)
        #expect((counters.object["recordErrorCodes"] as? [String: Int])?["1004"] == 3)
        let leads = try await f.client.send("GET", "/_sandbox/subscriptions/F-LOG/leads")
        #expect((leads.json as? [[String: Any]])?.count == 1)
        let expire = try await f.client.send("POST", "/_sandbox/tokens/expire", query: ["munchkinId": "F-LOG"])
        #expect(expire.status == 200)
        #expect(try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token).errorCode == "602")
    }
}
