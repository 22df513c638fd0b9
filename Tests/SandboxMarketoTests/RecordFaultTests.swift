import Foundation
import SandboxMarketo
import Testing

@Suite("Record-level faults: single records skipped with an injected reason, the rest processed")
struct RecordFaultTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("REC-1"), SandboxFixture.subscription("REC-2"),
                SandboxFixture.subscription("REC-3"),
            ])
        )
    }

    private func leads(_ f: SandboxFixture, _ token: String, _ count: Int, _ tag: String) async throws -> [Int] {
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": (0..<count).map { ["email": "\(tag)\($0)@records.example.com"] }],
            token: token
        )
        return reply.result.compactMap { $0["id"] as? Int }
    }

    private func statuses(_ f: SandboxFixture, _ token: String, _ leads: [Int]) async throws -> HTTPReply {
        try await f.client.send(
            "POST",
            "/rest/v1/programs/1001/members/status.json",
            json: ["statusName": "Registered", "input": leads.map { ["leadId": $0] }],
            token: token
        )
    }

    @Test("Program member status: hit records are skipped in place with seq and the code, and not stored")
    func memberStatus() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("REC-1")
        let leadIds = try await leads(f, token, 8, "pm")
        #expect(leadIds.count == 8)
        let added = try await f.client.send(
            "POST",
            "/_sandbox/faults",
            json: [
                "munchkinId": "REC-1", "endpoint": "/rest/v1/programs/{programId}/members/status.json",
                "recordErrorCode": "1029", "recordErrorMessage": "Lock wait timeout", "rate": 0.5, "seed": 11,
            ]
        )
        let ruleId = try #require(added.object["id"] as? String)
        let reply = try await statuses(f, token, leadIds)
        #expect(reply.success == true)
        #expect(reply.result.map { $0["seq"] as? Int } == Array(0..<8))
        let skipped = reply.result.indices.filter { reply.result[$0]["status"] as? String == "skipped" }
        #expect(!skipped.isEmpty)
        #expect(skipped.count < 8)
        for index in skipped {
            #expect(reply.reasonCodes(index) == ["1029"])
            #expect(f.sandbox.snapshot("REC-1")?.membership(programId: 1001, leadId: leadIds[index]) == nil)
        }
        for index in reply.result.indices where !skipped.contains(index) {
            #expect(reply.result[index]["status"] as? String == "created")
            #expect(reply.result[index]["leadId"] as? Int == leadIds[index])
        }
        let call = try #require(f.sandbox.calls(munchkinId: "REC-1").last)
        #expect(call.records == 8)
        #expect(call.recordErrorCodes == Array(repeating: "1029", count: skipped.count))
        #expect(call.faults == [ruleId])
        #expect(f.sandbox.faults().first { $0.id == ruleId }?.fired == skipped.count)

        // The same seed hits the same positions again.
        f.sandbox.removeFaults(id: ruleId)
        let fresh = try await leads(f, token, 8, "again")
        f.sandbox.addFault(
            MarketoFault(
                munchkinId: "REC-1",
                endpoint: "/rest/v1/programs/{programId}/members/status.json",
                rate: 0.5,
                seed: 11,
                recordErrorCode: "1029"
            )
        )
        let again = try await statuses(f, token, fresh)
        let skippedAgain = again.result.indices.filter { again.result[$0]["status"] as? String == "skipped" }
        #expect(skippedAgain == skipped)
        f.sandbox.removeFaults(munchkinId: "REC-1")
    }

    @Test("Custom activities carry the injected code under `errors`; `remaining` caps the records hit")
    func activities() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("REC-2")
        let leadIds = try await leads(f, token, 4, "act")
        f.sandbox.addFault(
            MarketoFault(
                munchkinId: "REC-2",
                endpoint: "/rest/v1/activities/external.json",
                remaining: 2,
                recordErrorCode: "1004"
            )
        )
        let input: [[String: Any]] = leadIds.map { leadId in
            [
                "leadId": leadId, "activityDate": "2026-11-22T10:45:00Z", "activityTypeId": 100_001,
                "primaryAttributeValue": "1_abcd1234", "attributes": [["apiName": "plays", "value": 1]],
            ]
        }
        let path = "/rest/v1/activities/external.json"
        let reply = try await f.client.send("POST", path, json: ["input": input], token: token)
        #expect(reply.result.map { $0["status"] as? String } == ["skipped", "skipped", "added", "added"])
        #expect(reply.reasonCodes(0, key: "errors") == ["1004"])
        #expect(reply.result[0]["reasons"] == nil)
        #expect(f.sandbox.snapshot("REC-2")?.activities.count == 2)
        let next = try await f.client.send("POST", path, json: ["input": input], token: token)
        #expect(next.result.allSatisfy { $0["status"] as? String == "added" })
    }

    @Test("Sync leads: a hit record is skipped without seq and not created; a call with every record hit answers")
    func syncLeads() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("REC-3")
        f.sandbox.addFault(
            MarketoFault(munchkinId: "REC-3", endpoint: "/rest/v1/leads.json", remaining: 3, recordErrorCode: "1003")
        )
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "x1@records.example.com"], ["email": "x2@records.example.com"]]],
            token: token
        )
        #expect(reply.success == true)
        #expect(reply.result.map { $0["status"] as? String } == ["skipped", "skipped"])
        #expect(reply.result.allSatisfy { $0["seq"] == nil })
        #expect(f.sandbox.snapshot("REC-3")?.leads.isEmpty == true)
        let mixed = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": [["email": "y1@records.example.com"], ["email": "y2@records.example.com"]]],
            token: token
        )
        #expect(mixed.result.map { $0["status"] as? String } == ["skipped", "created"])
        #expect(f.sandbox.snapshot("REC-3")?.leads.map(\.fields["email"]) == [.string("y2@records.example.com")])
    }
}
