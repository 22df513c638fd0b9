import Foundation
import Marketo
import SandboxMarketo
import Synchronization
import Testing

@Suite("A rotated client secret is re-read and the call retried once")
struct SecretRotationTests {
    static let harness = Task {
        try await SandboxHarness.start([
            SandboxHarness.subscription("ROT-IDENT"), SandboxHarness.subscription("ROT-601"),
            SandboxHarness.subscription("ROT-SAME"),
        ])
    }

    /// A client whose secret comes from `holder` (the mounted file), read once at creation and on every re-read.
    static func client(
        _ h: SandboxHarness,
        _ munchkinId: String,
        holder: Shared<String>,
        rereads: Shared<Int>
    ) throws
        -> MarketoClient
    {
        try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: h.baseURL,
                clientId: "\(munchkinId)-id",
                clientSecret: holder.value,
                reloadClientSecret: {
                    rereads.update { $0 += 1 }
                    return holder.value
                }
            )
        )
    }

    @Test("The identity service refuses the old secret: the new one is read and the call succeeds")
    func identityRefusal() async throws {
        let h = try await Self.harness.value
        let holder = Shared("ROT-IDENT-secret")
        let rereads = Shared(0)
        let client = try Self.client(h, "ROT-IDENT", holder: holder, rereads: rereads)
        _ = try await client.describeLeads()

        // An admin replaces the secret and revokes the tokens; the mounted file changes.
        h.sandbox.rotateClientSecret(munchkinId: "ROT-IDENT", to: "rotated", revokingTokens: true)
        holder.set("rotated")
        let synced = try await client.syncLeads([["email": "after-rotation@example.com"]])
        #expect(synced.records.first?.outcome == .created)
        #expect(rereads.value == 1)
        let identity = h.calls("ROT-IDENT").filter { $0.endpoint == "/identity/oauth/token" }
        #expect(identity.map(\.httpStatus) == [200, 401, 200])
        // The call with the revoked token was answered 601 (logged without a subscription: the token is unknown).
        #expect(h.calls("ROT-IDENT").filter { $0.endpoint == "/rest/v1/leads.json" }.map(\.httpStatus) == [200])
    }

    @Test("A freshly fetched token refused again (601): the secret is re-read and the call made a last time")
    func refusedAfterRefresh() async throws {
        let h = try await Self.harness.value
        let rereads = Shared(0)
        let sandbox = h.sandbox
        // The re-read finds a new secret, which Marketo has just been given: an admin rotated it while the
        // service's token was being refused (601 twice, by fault rules).
        let client = try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: h.baseURL,
                clientId: "ROT-601-id",
                clientSecret: "ROT-601-secret",
                reloadClientSecret: {
                    rereads.update { $0 += 1 }
                    sandbox.rotateClientSecret(munchkinId: "ROT-601", to: "second")
                    return "second"
                }
            )
        )
        _ = try await client.describeLeads()
        _ = h.sandbox.addFault(
            MarketoFault(munchkinId: "ROT-601", endpoint: "/rest/v1/leads.json", remaining: 2, errorCode: "601")
        )
        let synced = try await client.syncLeads([["email": "third-try@example.com"]])
        #expect(synced.records.first?.outcome == .created)
        #expect(rereads.value == 1)
        #expect(
            h.calls("ROT-601").filter { $0.endpoint == "/identity/oauth/token" }.map(\.httpStatus) == [200, 200, 200]
        )
        let leadCalls = h.calls("ROT-601").filter { $0.endpoint == "/rest/v1/leads.json" && $0.method == "POST" }
        #expect(leadCalls.map { $0.errorCode ?? "ok" } == ["601", "601", "ok"])
    }

    @Test("An unchanged secret is not retried: the refusal stands")
    func unchangedSecret() async throws {
        let h = try await Self.harness.value
        let holder = Shared("ROT-SAME-secret")
        let rereads = Shared(0)
        let client = try Self.client(h, "ROT-SAME", holder: holder, rereads: rereads)
        h.sandbox.rotateClientSecret(munchkinId: "ROT-SAME", to: "nobody-told-us", revokingTokens: true)
        let error = await #expect(throws: MarketoError.self) { try await client.describeLeads() }
        #expect(error?.code == .invalidCredentials)
        #expect(rereads.value == 1)
        #expect(h.identityCalls("ROT-SAME") == 1)
    }
}

/// A value shared with a `@Sendable` closure (a mounted secret file's content, a count).
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value { storage.withLock { $0 } }

    func set(_ value: Value) {
        storage.withLock { $0 = value }
    }

    func update(_ body: @Sendable (inout Value) -> Void) {
        storage.withLock { body(&$0) }
    }
}
