import Foundation
import SandboxMarketo
import Testing

@Suite("Identity and the envelope", .serialized)
struct IdentityTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("111-AAA-111"), SandboxFixture.subscription("222-BBB-222"),
            ])
        )
    }

    func fixture() async throws -> SandboxFixture { try await Self.fixture.value }

    @Test("The same token until it expires, expires_in counting down, then 602 and a new token")
    func tokenLifeCycle() async throws {
        let f = try await fixture()
        let query = [
            "grant_type": "client_credentials", "client_id": "111-AAA-111-id", "client_secret": "111-AAA-111-secret",
        ]
        let first = try await f.client.send("GET", "/identity/oauth/token", query: query)
        #expect(first.status == 200)
        #expect(first.object["token_type"] as? String == "bearer")
        #expect(first.object["expires_in"] as? Int == 3599)
        #expect(first.object["scope"] as? String == "leadsync@111-aaa-111.example.com")
        let token = try #require(first.object["access_token"] as? String)

        f.clock.advance(by: 100)
        let second = try await f.client.send(
            "POST",
            "/identity/oauth/token",
            query: query
        )
        #expect(second.object["access_token"] as? String == token)
        #expect(second.object["expires_in"] as? Int == 3499)

        let ok = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
        #expect(ok.success == true)

        f.clock.advance(by: 3_500)
        let expired = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
        #expect(expired.status == 200)
        #expect(expired.success == false)
        #expect(expired.errorCode == "602")
        #expect(expired.errorMessage == "Access token expired")

        let renewed = try await f.client.send("GET", "/identity/oauth/token", query: query)
        let newToken = try #require(renewed.object["access_token"] as? String)
        #expect(newToken != token)
        #expect(renewed.object["expires_in"] as? Int == 3599)
    }

    @Test("The identity form body works as well as the query string")
    func formBody() async throws {
        let f = try await fixture()
        let body = "grant_type=client_credentials&client_id=222-BBB-222-id&client_secret=222-BBB-222-secret"
        let reply = try await f.client.send(
            "POST",
            "/identity/oauth/token",
            body: Data(body.utf8),
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(reply.status == 200)
        #expect((reply.object["access_token"] as? String)?.hasSuffix(":sbx") == true)
    }

    @Test("601 for a missing or unknown token, as HTTP 200 with string codes")
    func invalidToken() async throws {
        let f = try await fixture()
        let missing = try await f.client.send("GET", "/rest/v1/leads/describe.json")
        #expect(missing.status == 200)
        #expect(missing.success == false)
        #expect(missing.errorCode == "601")
        #expect(missing.object["result"] == nil)
        let unknown = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: "nope:sbx")
        #expect(unknown.errorCode == "601")
        #expect(unknown.errorMessage == "Access token invalid")
        let requestId = try #require(unknown.object["requestId"] as? String)
        #expect(requestId.wholeMatch(of: /[0-9a-f]{4,5}#[0-9a-f]{11}/) != nil)
    }

    @Test("The token is accepted as a bearer header and as the access_token query parameter")
    func tokenPlacement() async throws {
        let f = try await fixture()
        let token = try await f.token("222-BBB-222")
        let header = try await f.client.send("GET", "/rest/v1/activities/external/types.json", token: token)
        #expect(header.success == true)
        let query = try await f.client.send(
            "GET",
            "/rest/v1/activities/external/types.json",
            query: ["access_token": token]
        )
        #expect(query.success == true)
        #expect(query.result.first?["apiName"] as? String == "userSessionEngagement")
    }

    @Test("Bad client credentials are HTTP 401 with an OAuth error body")
    func badCredentials() async throws {
        let f = try await fixture()
        let wrongSecret = try await f.client.send(
            "GET",
            "/identity/oauth/token",
            query: ["grant_type": "client_credentials", "client_id": "111-AAA-111-id", "client_secret": "x"]
        )
        #expect(wrongSecret.status == 401)
        #expect(wrongSecret.object["error"] as? String == "invalid_client")
        let unknown = try await f.client.send(
            "GET",
            "/identity/oauth/token",
            query: ["grant_type": "client_credentials", "client_id": "who", "client_secret": "x"]
        )
        #expect(unknown.status == 401)
        #expect(unknown.object["error_description"] as? String == "No client with requested id")
    }

    @Test("Identity calls do not count against the limits; unknown paths are 610, wrong methods 605")
    func identityNotCounted() async throws {
        let f = try await fixture()
        let before = f.sandbox.counters(munchkinId: "222-BBB-222")
        let token = try await f.token("222-BBB-222")
        _ = try await f.token("222-BBB-222")
        let unknown = try await f.client.send("GET", "/rest/v1/nothing.json", token: token)
        #expect(unknown.errorCode == "610")
        let wrong = try await f.client.send("DELETE", "/rest/v1/leads.json", token: token)
        #expect(wrong.errorCode == "605")
        let after = f.sandbox.counters(munchkinId: "222-BBB-222")
        #expect(after.calls == before.calls + 4)
        #expect(after.countedCalls == before.countedCalls)
    }
}
