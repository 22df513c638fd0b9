import Foundation
import Salesforce
import SandboxSalesforce
import Testing

@Suite("Access tokens: reuse, refresh after revocation or expiry, single flight", .serialized)
struct TokenTests {
    static let fixture = Task { try await SandboxFixture.start() }

    @Test("one token call serves many API calls")
    func tokenReuse() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let tokensBefore = fixture.calls("oauth.token").count
        for _ in 0..<5 {
            _ = try await client.query("SELECT Id FROM Campaign")
        }
        _ = try await client.limits()
        #expect(fixture.calls("oauth.token").count == tokensBefore + 1)
        #expect(recorder.calls(.token).count == 1)
        #expect(recorder.calls(.query).count == 5)
        #expect(recorder.all.allSatisfy { $0.succeeded })
    }

    @Test("a revoked token is refreshed once and the call replayed, transparently")
    func revocationMidRun() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        let before = try await client.query("SELECT Id, Name FROM Campaign")
        #expect(before.count == 2)

        #expect(fixture.sandbox.revokeTokens() >= 1)
        let after = try await client.query("SELECT Id, Name FROM Campaign")
        #expect(after.count == 2)

        let queries = recorder.calls(.query)
        #expect(queries.map(\.httpStatus) == [200, 401, 200])
        #expect(queries[1].errorCode == "INVALID_SESSION_ID")
        #expect(recorder.calls(.token).count == 2)
    }

    @Test("concurrent calls that hit the same expired token share one refresh")
    func singleFlightRefreshAfterExpiry() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.limits()
        #expect(recorder.calls(.token).count == 1)

        // The standard session lifetime is 2 hours of sandbox time.
        fixture.sandbox.advanceClock(by: 7_300)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try await client.query("SELECT Id FROM Campaign").count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 2, count: 8))
        #expect(recorder.calls(.token).count == 2, "one refresh shared by the eight callers")
        #expect(recorder.calls(.query).filter { $0.httpStatus == 200 }.count == 8)
    }

    @Test("a second 401 after the replay is classified reauth")
    func replayFailsAgain() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.limits()
        fixture.sandbox.inject(
            SandboxFault(kind: .error, endpoint: "limits", errorCode: "INVALID_SESSION_ID", remaining: 2)
        )
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) { try await client.limits() }
        #expect(error.classification == .reauth)
        #expect(error.httpStatus == 401)
        #expect(error.errorCode == "INVALID_SESSION_ID")
        #expect(recorder.calls(.limits).count == 3, "the first call, the failed call and its one replay")
        #expect(recorder.calls(.token).count == 2)
    }

    @Test("a session not valid for the REST API is not refreshed in a loop")
    func sessionNotValidForREST() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client()
        _ = try await client.limits()
        fixture.sandbox.inject(
            SandboxFault(
                kind: .error,
                endpoint: "limits",
                errorCode: "INVALID_SESSION_ID",
                message: "This session is not valid for use with the REST API",
                remaining: 1
            )
        )
        defer { fixture.sandbox.clearFaults() }
        let error = try await #require(throws: SalesforceError.self) { try await client.limits() }
        #expect(error.classification == .reauth)
        #expect(recorder.calls(.token).count == 1)
        #expect(recorder.calls(.limits).count == 2)
    }

    @Test("refused credentials are an authentication failure, and the secret never shows")
    func wrongSecret() async throws {
        let fixture = try await Self.fixture.value
        let (client, recorder) = fixture.client(clientSecret: "not-the-secret")
        let error = try await #require(throws: SalesforceError.self) { try await client.limits() }
        #expect(error.endpoint == .token)
        #expect(error.httpStatus == 400)
        #expect(error.errorCode == "invalid_client")
        #expect(error.classification == .authenticationFailed)
        #expect(recorder.calls(.limits).isEmpty)

        let description = "\(client.configuration) \(String(reflecting: client.configuration.credentials))"
        #expect(!description.contains("not-the-secret"))
        #expect(description.contains(fixture.org.clientId))
    }
}
