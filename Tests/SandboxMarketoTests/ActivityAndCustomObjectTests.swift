import Foundation
import SandboxMarketo
import Testing

@Suite("Custom activities and custom objects")
struct ActivityAndCustomObjectTests {
    static let fixture = Task {
        var draft = MarketoSandboxSetup.ActivityType.userSessionEngagement
        draft.id = 100_002
        draft.apiName = "draftEngagement"
        draft.status = "draft"
        var sub = SandboxFixture.subscription("ACT-1")
        sub.activityTypes.append(draft)
        return try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                sub, SandboxFixture.subscription("CO-1"),
            ])
        )
    }

    private func lead(_ f: SandboxFixture, _ token: String, _ email: String) async throws -> Int {
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": email]]],
            token: token
        )
        return try #require(reply.result.first?["id"] as? Int)
    }

    @Test("Activities are validated against their approved type; skips use `errors`, not `reasons`")
    func activities() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("ACT-1")
        let leadId = try await lead(f, token, "viewer@example.com")
        let good: [String: Any] = [
            "leadId": leadId, "activityDate": "2026-11-22T10:45:00Z", "activityTypeId": 100_001,
            "primaryAttributeValue": "1_abcd1234",
            "attributes": [["apiName": "live_minutes_viewed", "value": 32.5], ["name": "plays", "value": 1]],
        ]
        var unknownAttribute = good
        unknownAttribute["attributes"] = [["apiName": "shoeSize", "value": 1]]
        var badValue = good
        badValue["attributes"] = [["apiName": "plays", "value": "lots"]]
        var draft = good
        draft["activityTypeId"] = 100_002
        var noType = good
        noType["activityTypeId"] = 5
        var noLead = good
        noLead["leadId"] = 77_777
        var noDate = good
        noDate["activityDate"] = nil
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/activities/external.json",
            json: ["input": [good, unknownAttribute, badValue, draft, noType, noLead, noDate]],
            token: token
        )
        #expect(reply.success == true)
        #expect(reply.result.first?["status"] as? String == "added")
        #expect(reply.result.first?["marketoGUID"] as? String != nil)
        #expect(
            (1..<7).map { reply.reasonCodes($0, key: "errors") } == [
                ["1006"], ["1001"], ["1013"], ["1013"], ["1004"], ["1002"],
            ]
        )
        #expect(reply.result[1]["reasons"] == nil)
        let stored = try #require(f.sandbox.snapshot("ACT-1")?.activities)
        #expect(stored.count == 1)
        #expect(stored.first?.primaryAttributeValue == "1_abcd1234")
        #expect(stored.first?.attributes["live_minutes_viewed"] == .double(32.5))
        #expect(stored.first?.attributes["plays"] == .int(1))

        let describe = try await f.client.send(
            "GET",
            "/rest/v1/activities/external/type/userSessionEngagement/describe.json",
            token: token
        )
        let primary = describe.result.first?["primaryAttribute"] as? [String: Any]
        #expect(primary?["apiName"] as? String == "entry_id")
    }

    @Test("Custom objects dedupe on entry_id and personId; the link must name an existing lead")
    func customObjects() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("CO-1")
        let leadId = try await lead(f, token, "co@example.com")
        let path = "/rest/v1/customobjects/kalturaUserSessionEngagement.json"
        let first = try await f.client.send(
            "POST",
            path,
            json: [
                "action": "createOrUpdate", "dedupeBy": "dedupeFields",
                "input": [
                    ["entry_id": "1_abcd1234", "personId": leadId, "plays": 1, "entry_name": "Opening keynote"],
                    ["entry_id": "1_abcd1234", "personId": 424_242, "plays": 1],
                    ["entry_id": "1_other", "plays": 2],
                    ["entry_id": "1_other", "personId": leadId, "marketoGUID": "x"],
                    ["entry_id": "1_other", "personId": leadId, "cheers": 3],
                ],
            ],
            token: token
        )
        #expect(first.success == true)
        #expect(first.result.map { $0["seq"] as? Int } == [0, 1, 2, 3, 4])
        #expect(first.result.first?["status"] as? String == "created")
        let guid = try #require(first.result.first?["marketoGUID"] as? String)
        #expect((1..<5).map { first.reasonCodes($0) } == [["1004"], ["1003"], ["1003"], ["1006"]])

        let second = try await f.client.send(
            "POST",
            path,
            json: [
                "input": [
                    ["entry_id": "1_abcd1234", "personId": leadId, "plays": 3, "live_minutes_viewed": 12.25],
                    ["entry_id": "1_abcd1234", "personId": leadId, "plays": 4],
                ]
            ],
            token: token
        )
        #expect(second.result.first?["status"] as? String == "updated")
        #expect(second.result.first?["marketoGUID"] as? String == guid)
        #expect(second.reasonCodes(1) == ["1036"])

        let records = try #require(f.sandbox.snapshot("CO-1")?.customObjects(named: "kalturaUserSessionEngagement"))
        #expect(records.count == 1)
        #expect(records.first?.fields["plays"] == .int(3))
        #expect(records.first?.fields["entry_name"] == .string("Opening keynote"))
        #expect(records.first?.updateCount == 1)

        let describe = try await f.client.send(
            "GET",
            "/rest/v1/customobjects/kalturaUserSessionEngagement/describe.json",
            token: token
        )
        #expect(describe.result.first?["dedupeFields"] as? [String] == ["entry_id", "personId"])
        let query = try await f.client.send(
            "POST",
            path,
            query: ["_method": "GET"],
            json: ["filterType": "dedupeFields", "input": [["entry_id": "1_abcd1234", "personId": leadId]]],
            token: token
        )
        #expect(query.result.first?["marketoGUID"] as? String == guid)
        let unknown = try await f.client.send(
            "POST",
            "/rest/v1/customobjects/car_c.json",
            json: ["input": [[String: Any]]()],
            token: token
        )
        #expect(unknown.errorCode == "1013")
    }
}
