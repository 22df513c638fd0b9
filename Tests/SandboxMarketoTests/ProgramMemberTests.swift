import Foundation
import SandboxMarketo
import Testing

@Suite("Program members: status progression")
struct ProgramMemberTests {
    static let fixture = Task {
        try await SandboxFixture.start(
            MarketoSandboxSetup(subscriptions: [
                SandboxFixture.subscription("PM-1"), SandboxFixture.subscription("PM-2", invalidStatus: .responseLevel),
                SandboxFixture.subscription("PM-3"),
            ])
        )
    }

    private func createLeads(_ f: SandboxFixture, _ token: String, _ emails: [String]) async throws -> [Int] {
        let reply = try await f.client.send(
            "POST",
            "/rest/v1/leads.json",
            json: ["input": emails.map { ["email": $0] }],
            token: token
        )
        return reply.result.compactMap { $0["id"] as? Int }
    }

    private func setStatus(
        _ f: SandboxFixture,
        _ token: String,
        _ program: Int,
        _ status: String,
        _ leads: [Int]
    ) async throws -> HTTPReply {
        try await f.client.send(
            "POST",
            "/rest/v1/programs/\(program)/members/status.json",
            json: ["statusName": status, "input": leads.map { ["leadId": $0] }],
            token: token
        )
    }

    @Test("Upsert creates members, moves them up, skips lower steps with 1037, allows lateral moves")
    func progression() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("PM-1")
        let leads = try await createLeads(f, token, ["a@pm.example.com", "b@pm.example.com", "c@pm.example.com"])
        let invited = try await setStatus(f, token, 1001, "Invited", Array(leads.prefix(2)))
        #expect(invited.result.map { $0["status"] as? String } == ["created", "created"])
        #expect(invited.result.map { $0["seq"] as? Int } == [0, 1])

        let attended = try await setStatus(f, token, 1001, "Attended", [leads[0]])
        #expect(attended.result.first?["status"] as? String == "updated")

        // Lead 0 is at Attended (50): Registered (30) is skipped; lead 1 moves up; lead 2 joins.
        let registered = try await setStatus(f, token, 1001, "Registered", leads)
        #expect(registered.result.map { $0["status"] as? String } == ["skipped", "updated", "created"])
        #expect(registered.reasonCodes(0) == ["1037"])
        #expect(registered.result[0]["leadId"] == nil)
        #expect(registered.result[1]["leadId"] as? Int == leads[1])

        // Confirmed and autoConfirmed share step 40: a lateral move is applied; the same status again is not.
        _ = try await setStatus(f, token, 1001, "Confirmed", [leads[1]])
        let lateral = try await setStatus(f, token, 1001, "autoConfirmed", [leads[1]])
        #expect(lateral.result.first?["status"] as? String == "updated")
        let same = try await setStatus(f, token, 1001, "autoConfirmed", [leads[1]])
        #expect(same.reasonCodes(0) == ["1037"])

        let snapshot = try #require(f.sandbox.snapshot("PM-1"))
        let member = try #require(snapshot.membership(programId: 1001, leadId: leads[0]))
        #expect(member.statusName == "Attended")
        #expect(member.reachedSuccess)
        #expect(member.history.map(\.outcome) == ["created", "updated", "skipped"])
        #expect(member.history.last?.reasonCode == "1037")
        #expect(snapshot.membership(programId: 1001, leadId: leads[1])?.statusName == "autoConfirmed")
        #expect(snapshot.counters.recordErrorCodes["1037"] == 2)

        let members = try await f.client.send(
            "GET",
            "/rest/v1/programs/1001/members.json",
            query: [
                "filterType": "leadId", "filterValues": leads.map(String.init).joined(separator: ","),
                "fields": "leadId,statusName,reachedSuccess",
            ],
            token: token
        )
        #expect(members.result.map { $0["statusName"] as? String } == ["Attended", "autoConfirmed", "Registered"])
        #expect(members.result.map { $0["seq"] as? Int } == [0, 1, 2])
    }

    @Test("Unknown lead is 1004, unknown status is 1025 per record, unknown program fails the call")
    func invalidInput() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("PM-1")
        let leads = try await createLeads(f, token, ["d@pm.example.com"])
        let unknownLead = try await setStatus(f, token, 1002, "Registered", [leads[0], 999_999])
        #expect(unknownLead.result.map { $0["status"] as? String } == ["created", "skipped"])
        #expect(unknownLead.reasonCodes(1) == ["1004"])
        let badStatus = try await setStatus(f, token, 1002, "Influenced", [leads[0]])
        #expect(badStatus.success == true)
        #expect(badStatus.reasonCodes(0) == ["1025"])
        let badProgram = try await setStatus(f, token, 4242, "Registered", [leads[0]])
        #expect(badProgram.success == false)
        #expect(badProgram.errorCode == "1013")
        let noStatus = try await f.client.send(
            "POST",
            "/rest/v1/programs/1002/members/status.json",
            json: ["input": [["leadId": leads[0]]]],
            token: token
        )
        #expect(noStatus.errorCode == "701")
    }

    @Test("A subscription set to report an unknown status at response level fails the whole call with 1025")
    func invalidStatusResponseLevel() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("PM-2")
        let leads = try await createLeads(f, token, ["e@pm.example.com"])
        let reply = try await setStatus(f, token, 1001, "Influenced", leads)
        #expect(reply.success == false)
        #expect(reply.errorCode == "1025")
    }

    @Test("The channel and program are readable through the asset API")
    func channel() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("PM-1")
        let program = try await f.client.send("GET", "/rest/asset/v1/program/1001.json", token: token)
        let channelName = try #require(program.result.first?["channel"] as? String)
        let channel = try await f.client.send(
            "GET",
            "/rest/asset/v1/channel/byName.json",
            query: ["name": channelName],
            token: token
        )
        let statuses = channel.result.first?["progressionStatuses"] as? [[String: Any]] ?? []
        #expect(
            statuses.compactMap { $0["name"] as? String } == [
                "Created", "Invited", "Registered", "Confirmed", "autoConfirmed", "Attended", "Participated", "Blocked",
                "Un-registered",
            ]
        )
        #expect(statuses.compactMap { $0["step"] as? Int } == [10, 20, 30, 40, 40, 50, 60, 70, 80])
    }

    @Test("The legacy change-status endpoint takes `status` and `id`, answers `{id,status}` and keeps the steps")
    func legacyEndpoint() async throws {
        let f = try await Self.fixture.value
        let token = try await f.token("PM-3")
        let leads = try await createLeads(f, token, ["legacy@pm.example.com"])
        let path = "/rest/v1/leads/programs/1003/status.json"
        let first = try await f.client.send(
            "POST",
            path,
            json: ["status": "Attended", "input": [["id": leads[0]]]],
            token: token
        )
        #expect(first.result.first?["id"] as? Int == leads[0])
        #expect(first.result.first?["status"] as? String == "created")
        #expect(first.result.first?["seq"] == nil)
        let lower = try await f.client.send(
            "POST",
            path,
            json: ["status": "Invited", "input": [["id": leads[0]]]],
            token: token
        )
        #expect(lower.result.first?["status"] as? String == "skipped")
        #expect(lower.reasonCodes(0) == ["1037"])
        #expect(f.sandbox.snapshot("PM-3")?.membership(programId: 1003, leadId: leads[0])?.statusName == "Attended")
        // marketo-rest-python's get_multiple_leads_by_program_id: POST ?_method=GET with a form body.
        let byProgram = try await f.client.send(
            "POST",
            "/rest/v1/leads/programs/1003.json",
            query: ["_method": "GET"],
            body: Data("fields=email&batchSize=10".utf8),
            contentType: "application/x-www-form-urlencoded",
            token: token
        )
        #expect(byProgram.result.first?["email"] as? String == "legacy@pm.example.com")
        let membership = byProgram.result.first?["membership"] as? [String: Any]
        #expect(membership?["progressionStatus"] as? String == "Attended")
    }
}
