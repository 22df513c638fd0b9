import Foundation
import Marketo
import SandboxMarketo
import Testing

@Suite("Program member status")
struct ProgramMemberTests {
    static let harness = Task {
        var responseLevel = SandboxHarness.subscription("PM-CALL")
        responseLevel.invalidStatusReporting = .responseLevel
        return try await SandboxHarness.start([
            SandboxHarness.subscription("PM-300"), SandboxHarness.subscription("PM-BAD"), responseLevel,
        ])
    }

    /// Upserts `count` leads in one call and returns their ids.
    private func leads(_ client: MarketoClient, _ prefix: String, count: Int) async throws -> [Int] {
        let synced = try await client.syncLeads((0..<count).map { ["email": .string("\(prefix)\($0)@example.com")] })
        let ids = synced.records.compactMap(\.leadId)
        try #require(ids.count == count)
        return ids
    }

    @Test("300 leads in one call; a lower step afterwards is skipped with 1037, reported as a success")
    func threeHundredAndSkipped() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("PM-300", recorder: recorder)
        let ids = try await leads(client, "member", count: 300)

        let attended = try await client.syncProgramMemberStatus(programId: 1001, statusName: "Attended", leadIds: ids)
        #expect(attended.records.count == 300)
        #expect(attended.records.map(\.leadId) == ids)
        #expect(attended.records.allSatisfy { $0.outcome == .created })

        // Half move forward, the other half are asked to go back to Registered: 1037, a no-op success.
        let mixedIds = Array(ids[0..<150])
        let forward = try await client.syncProgramMemberStatus(
            programId: 1001,
            statusName: "Participated",
            leadIds: mixedIds
        )
        #expect(forward.records.allSatisfy { $0.outcome == .updated })
        let backward = try await client.syncProgramMemberStatus(programId: 1001, statusName: "Registered", leadIds: ids)
        #expect(backward.records.map(\.leadId) == ids)
        #expect(backward.records.allSatisfy { $0.outcome.isSuccess })
        for record in backward.records {
            guard case .skipped(let reason) = record.outcome else {
                Issue.record("lead \(record.leadId): \(record.outcome), expected skipped")
                continue
            }
            #expect(reason.code == "1037")
            #expect(reason.isAlreadyInOrPastStatus)
        }

        let snapshot = try h.snapshot("PM-300")
        #expect(snapshot.memberships.count == 300)
        #expect(snapshot.membership(programId: 1001, leadId: ids[0])?.statusName == "Participated")
        #expect(snapshot.membership(programId: 1001, leadId: ids[299])?.statusName == "Attended")
        // Call accounting: one 300-record lead sync, status calls of 300, 150 and 300 records; no record failures.
        #expect(recorder.calls(.syncLeads).map(\.records) == [300])
        #expect(recorder.calls(.syncProgramMemberStatus).map(\.records) == [300, 150, 300])
        #expect(recorder.calls(.syncProgramMemberStatus).allSatisfy { $0.failedRecords == 0 && $0.succeeded })
        #expect(h.sandbox.counters(munchkinId: "PM-300").recordErrorCodes["1037"] == 300)
    }

    @Test("An unknown status fails each record with 1025 (permanent); an unknown program fails the call (permanent)")
    func invalidStatusAndProgram() async throws {
        let h = try await Self.harness.value
        let recorder = CallRecorder()
        let client = try h.client("PM-BAD", recorder: recorder)
        let ids = try await leads(client, "bad", count: 3)
        let invalid = try await client.syncProgramMemberStatus(programId: 1002, statusName: "Influenced", leadIds: ids)
        for record in invalid.records {
            #expect(record.outcome.failure?.code == "1025")
            #expect(record.outcome.failure?.failureClass == .permanent)
        }
        #expect(recorder.calls(.syncProgramMemberStatus).first?.failedRecords == 3)

        let error = try await #require(throws: MarketoError.self) {
            try await client.syncProgramMemberStatus(programId: 9_999, statusName: "Registered", leadIds: ids)
        }
        #expect(error.code == .api)
        #expect(error.marketoCode == "1013")
        #expect(error.failureClass == .permanent)
        #expect(error.endpoint == .syncProgramMemberStatus)
        #expect(error.requestId?.contains("#") == true)
        #expect(try h.snapshot("PM-BAD").memberships.isEmpty)
    }

    @Test("A subscription that reports an unknown status for the whole call: 1025 thrown, permanent")
    func invalidStatusForTheCall() async throws {
        let h = try await Self.harness.value
        let client = try h.client("PM-CALL")
        let ids = try await leads(client, "call", count: 2)
        let error = try await #require(throws: MarketoError.self) {
            try await client.syncProgramMemberStatus(programId: 1001, statusName: "Influenced", leadIds: ids)
        }
        #expect(error.marketoCode == "1025")
        #expect(error.failureClass == .permanent)
        #expect(try h.snapshot("PM-CALL").memberships.isEmpty)
    }
}
