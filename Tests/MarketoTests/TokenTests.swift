import Foundation
import Marketo
import SandboxMarketo
import Testing

@Suite("Access tokens: reuse, expiry, proactive refresh, bad credentials", .serialized)
struct TokenTests {
    /// The tests move the sandbox's clock, which every subscription of this sandbox shares: they run serialized.
    static let harness = Task {
        try await SandboxHarness.start([
            SandboxHarness.subscription("TOK-REUSE"), SandboxHarness.subscription("TOK-EXPIRE"),
            SandboxHarness.subscription("TOK-AHEAD"), SandboxHarness.subscription("TOK-BAD"),
            SandboxHarness.subscription("TOK-601"), SandboxHarness.subscription("TOK-SHARE"),
        ])
    }

    @Test("One identity call serves concurrent first calls and every call after them")
    func reuse() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("TOK-REUSE", recorder: recorder)
        let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await client.describeLeads().count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(concurrent.count == 8)
        #expect(concurrent.allSatisfy { $0 > 0 })
        for index in 0..<30 { _ = try await client.syncLeads([["email": .string("reuse\(index)@example.com")]]) }
        #expect(h.identityCalls("TOK-REUSE") == 1)
        #expect(recorder.calls(.identity).count == 1)
        #expect(recorder.all.count == 39)
        #expect(h.calls("TOK-REUSE").allSatisfy { $0.errorCode == nil })
    }

    @Test("A token that expires mid-run (sandbox time, or expired by the sandbox) is refreshed once, transparently")
    func expiryMidRun() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("TOK-EXPIRE", recorder: recorder)
        _ = try await client.describeLeads()
        // The client's own clock (wall time) still thinks the token is fresh; the sandbox says 602.
        h.clock.advance(by: 3_600)
        let afterExpiry = try await client.syncLeads([["email": "expiry@example.com"]])
        #expect(afterExpiry.records.first?.outcome == .created)
        h.sandbox.expireTokens(munchkinId: "TOK-EXPIRE")
        let afterRevocation = try await client.describeLeads()
        #expect(!afterRevocation.isEmpty)

        let log = h.calls("TOK-EXPIRE")
        #expect(log.count { $0.errorCode == "602" } == 2)
        #expect(h.identityCalls("TOK-EXPIRE") == 3)
        #expect(recorder.calls(.syncLeads).map(\.resultCode) == ["602", "ok"])
        #expect(recorder.calls(.describeLeads).map(\.resultCode) == ["ok", "602", "ok"])
        #expect(try h.snapshot("TOK-EXPIRE").leads(withEmail: "expiry@example.com").count == 1)
    }

    @Test("Concurrent calls that all meet an expired token share one refresh")
    func concurrentRefresh() async throws {
        let h = try await Self.harness.value
        let munchkinId = "TOK-SHARE"
        let client = try h.client(munchkinId)
        _ = try await client.describeLeads()
        let before = h.identityCalls(munchkinId)
        h.sandbox.expireTokens(munchkinId: munchkinId)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await client.describeLeads().count } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(h.identityCalls(munchkinId) == before + 1)
    }

    @Test("With the client on the sandbox's clock, the token is refreshed ahead of expiry: no 602 at all")
    func proactiveRefresh() async throws {
        let h = try await Self.harness.value
        let client = try h.client("TOK-AHEAD", sharesClock: true)
        _ = try await client.describeLeads()
        // 30 s before expiry (inside the 60 s margin): Marketo hands back the same token with its remaining life.
        h.clock.advance(by: 3_570)
        _ = try await client.describeLeads()
        _ = try await client.describeLeads()
        #expect(h.identityCalls("TOK-AHEAD") == 2)
        // Past the expiry: a new token before the call, not after a 602.
        h.clock.advance(by: 40)
        _ = try await client.describeLeads()
        #expect(h.identityCalls("TOK-AHEAD") == 3)
        #expect(h.calls("TOK-AHEAD").allSatisfy { $0.errorCode == nil })
    }

    @Test("Bad client credentials: invalidCredentials, class reauth, and the secret appears nowhere")
    func badCredentials() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("TOK-BAD", recorder: recorder, secret: "wrong-secret-value")
        let error = try await #require(throws: MarketoError.self) { try await client.describeLeads() }
        #expect(error.code == .invalidCredentials)
        #expect(error.failureClass == .reauth)
        #expect(error.httpStatus == 401)
        #expect(error.endpoint == .identity)
        #expect(!error.description.contains("wrong-secret-value"))
        #expect(!String(describing: client.configuration).contains("wrong-secret-value"))
        #expect(!String(reflecting: client.configuration).contains("wrong-secret-value"))
        var dumped = ""
        dump(client.configuration, to: &dumped)
        #expect(!dumped.contains("wrong-secret-value"))
        #expect(recorder.all.map(\.resultCode) == ["invalid_credentials"])
    }

    @Test("A 601 that persists after the one refresh and retry is class reauth")
    func persistentInvalidToken() async throws {
        let h = try await Self.harness.value
        let client = try h.client("TOK-601")
        _ = try await client.describeLeads()
        let rule = h.sandbox.addFault(
            MarketoFault(
                munchkinId: "TOK-601",
                endpoint: "/rest/v1/leads/describe.json",
                remaining: 2,
                errorCode: "601"
            )
        )
        defer { h.sandbox.removeFaults(id: rule.id) }
        let error = try await #require(throws: MarketoError.self) { try await client.describeLeads() }
        #expect(error.marketoCode == "601")
        #expect(error.failureClass == .reauth)
        #expect(h.calls("TOK-601").count { $0.errorCode == "601" } == 2)
        #expect(h.identityCalls("TOK-601") == 2)
        // The fault is spent: the next call works with the cached token.
        #expect(try await client.describeLeads().isEmpty == false)
        #expect(h.identityCalls("TOK-601") == 2)
    }
}
