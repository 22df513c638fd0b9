import Foundation
import SandboxMarketo
import Testing

@Suite("Setup pieces the preflight reads: approval states, the metadata API, rotated secrets")
struct SetupPiecesTests {
    static let fixture = Task {
        var draft = SandboxFixture.subscription("DRAFT-CO")
        draft.customObjects[0].state = "draft"
        return try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                draft, SandboxFixture.subscription("APPROVED-CO"), SandboxFixture.subscription("ROTATE-1"),
            ])
        )
    }

    @Test("A draft custom object is unknown to the data API (1013) and 'draft' in the metadata API")
    func draftCustomObject() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("DRAFT-CO")
        let describe = try await f.client.send(
            "GET",
            "/rest/v1/customobjects/kalturaUserSessionEngagement/describe.json",
            token: token
        )
        #expect(describe.errorCode == "1013")
        let list = try await f.client.send("GET", "/rest/v1/customobjects.json", token: token)
        #expect(list.result.isEmpty)
        let schema = try await f.client.send(
            "GET",
            "/rest/v1/customobjects/schema/kalturaUserSessionEngagement/describe.json",
            token: token
        )
        #expect(schema.result.first?["state"] as? String == "draft")
        #expect(schema.result.first?["apiName"] as? String == "kalturaUserSessionEngagement")
        #expect(schema.result.first?["dedupeFields"] as? [String] == ["entry_id", "personId"])
        let unknown = try await f.client.send(
            "GET",
            "/rest/v1/customobjects/schema/nothing/describe.json",
            token: token
        )
        #expect(unknown.errorCode == "1013")
        let sync = try await f.client.send(
            "POST",
            "/rest/v1/customobjects/kalturaUserSessionEngagement.json",
            json: ["input": [["entry_id": "1_a", "personId": 1]]],
            token: token
        )
        #expect(sync.errorCode == "1013")
    }

    @Test("An approved custom object is 'approved' in the metadata API")
    func approvedCustomObject() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("APPROVED-CO")
        let schema = try await f.client.send(
            "GET",
            "/rest/v1/customobjects/schema/kalturaUserSessionEngagement/describe.json",
            token: token
        )
        #expect(schema.result.first?["state"] as? String == "approved")
    }

    @Test("A rotated secret over HTTP: the old one is refused (401), revoked tokens are unknown (601)")
    func rotation() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("ROTATE-1")
        let rotate = try await f.client.send(
            "POST",
            "/_sandbox/subscriptions/ROTATE-1/credentials",
            json: ["clientSecret": "fresh", "revokeTokens": true]
        )
        #expect(rotate.status == 200)
        let old = try await f.client.send("GET", "/rest/v1/leads/describe.json", token: token)
        #expect(old.errorCode == "601")
        let refused = try await f.client.send(
            "GET",
            "/identity/oauth/token",
            query: ["grant_type": "client_credentials", "client_id": "ROTATE-1-id", "client_secret": "ROTATE-1-secret"]
        )
        #expect(refused.status == 401)
        let accepted = try await f.client.send(
            "GET",
            "/identity/oauth/token",
            query: ["grant_type": "client_credentials", "client_id": "ROTATE-1-id", "client_secret": "fresh"]
        )
        #expect(accepted.object["access_token"] is String)
        let unknown = try await f.client.send(
            "POST",
            "/_sandbox/subscriptions/NOPE/credentials",
            json: ["clientSecret": "x"]
        )
        #expect(unknown.status == 404)
    }

    @Test("The standard activity type fits Marketo's 20 attributes; a setup with more is refused")
    func attributeLimit() {
        let standard = MarketoSandboxSetup.ActivityType.userSessionEngagement
        #expect(standard.attributes.count == 19)
        #expect(standard.attributes.contains { $0.name == "command_id" })
        var crowded = SandboxFixture.subscription("CROWDED")
        crowded.activityTypes[0].attributes += (1...2).map {
            MarketoSandboxSetup.Field(name: "extra\($0)", dataType: "string")
        }
        let problems = MarketoSandboxSetup(subscriptions: [crowded]).problems()
        #expect(
            problems == [
                "subscription CROWDED: activity type userSessionEngagement has 21 attributes; Marketo allows 20 "
                    + "besides "
                    + "the primary one (1028)"
            ]
        )
    }
}
