import Foundation
import Logging
import Salesforce
import SandboxSalesforce
import Synchronization
import Testing

@Suite("Rotated credentials are re-read and the call retried once")
struct SecretRotationTests {
    static func client(
        _ fixture: SandboxFixture,
        secret: String,
        reload: @escaping @Sendable () throws -> String
    ) -> SalesforceClient {
        let clientId = fixture.org.clientId
        return SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: fixture.baseURL,
                credentials: .clientCredentials(clientId: clientId, clientSecret: secret),
                logger: Logger(label: "test.salesforce"),
                reloadCredentials: { .clientCredentials(clientId: clientId, clientSecret: try reload()) }
            )
        )
    }

    @Test("invalid_client after a revocation: the new secret is read, a token issued and the call replayed")
    func invalidClient() async throws {
        let fixture = try await SandboxFixture.start()
        let mounted = Shared(fixture.org.clientSecret)
        let rereads = Shared(0)
        let client = Self.client(fixture, secret: fixture.org.clientSecret) {
            rereads.update { $0 += 1 }
            return mounted.value
        }
        _ = try await client.query("SELECT Id FROM Campaign")

        fixture.sandbox.rotateClientSecret(orgId: fixture.org.orgId, to: "rotated-secret", revokingTokens: true)
        mounted.set("rotated-secret")
        let campaigns = try await client.query("SELECT Id FROM Campaign")
        #expect(campaigns.count == 2)
        #expect(rereads.value == 1)
        #expect(fixture.calls("oauth.token").map(\.httpStatus) == [200, 400, 200])
        #expect(fixture.calls("query").map(\.httpStatus) == [200, 401, 200])
    }

    @Test("INVALID_SESSION_ID again after the refresh: the credentials are re-read and the call made a last time")
    func invalidSessionAfterRefresh() async throws {
        let fixture = try await SandboxFixture.start()
        let rereads = Shared(0)
        let sandbox = fixture.sandbox
        let orgId = fixture.org.orgId
        // The re-read finds a new secret that the org has just been given (an admin rotated it while the tokens
        // were being refused: two 401s by fault rules).
        let client = Self.client(fixture, secret: fixture.org.clientSecret) {
            rereads.update { $0 += 1 }
            sandbox.rotateClientSecret(orgId: orgId, to: "second-secret")
            return "second-secret"
        }
        _ = try await client.query("SELECT Id FROM Campaign")
        _ = sandbox.inject(
            SandboxFault(
                kind: .error,
                orgId: orgId,
                endpoint: "query",
                errorCode: "INVALID_SESSION_ID",
                httpStatus: 401,
                message: "Session expired or invalid",
                remaining: 2
            )
        )
        let campaigns = try await client.query("SELECT Id FROM Campaign")
        #expect(campaigns.count == 2)
        #expect(rereads.value == 1)
        #expect(fixture.calls("oauth.token").map(\.httpStatus) == [200, 200, 200])
        #expect(fixture.calls("query").map(\.httpStatus) == [200, 401, 401, 200])
    }

    @Test("Unchanged credentials are not retried")
    func unchanged() async throws {
        let fixture = try await SandboxFixture.start()
        let rereads = Shared(0)
        let client = Self.client(fixture, secret: "stale") {
            rereads.update { $0 += 1 }
            return "stale"
        }
        let error = await #expect(throws: SalesforceError.self) { try await client.query("SELECT Id FROM Campaign") }
        #expect(error?.errorCode == "invalid_client")
        #expect(rereads.value == 1)
        #expect(fixture.calls("oauth.token").count == 1)
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
