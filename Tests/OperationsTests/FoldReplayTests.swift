import Fold
import Foundation
import Kafka
import LeadModel
import Operations
import Testing

@Suite("Inputs dead-lettered for a missing tenant or mapping are folded after the fix and a replay", .serialized)
struct FoldReplayTests {
    /// acme with these event mappings, and initech (kickoff -> program 2001) when `withInitech`.
    private static func tenants(mapping events: [String: Int], withInitech: Bool = false) -> TenantDirectory {
        var mappings = ["acme": events]
        if withInitech { mappings["initech"] = ["kickoff": 2001] }
        return TenantDirectory(
            mappings.map { tenant, events in
                TenantRules(
                    tenant: tenant,
                    eventMappings: events.mapValues { EventMapping(marketoProgramId: $0) },
                    destinations: [.marketo],
                    participatedRule: .disabled,
                    settleWindowMilliseconds: 86_400_000
                )
            }
        )
    }

    private static func configuration(
        _ topics: FoldConfiguration.Topics,
        tenants: TenantDirectory,
        group: String
    ) throws -> FoldConfiguration {
        FoldConfiguration(
            client: try OperationsHarness.client(),
            tenants: tenants,
            groupId: group,
            instanceId: "test",
            topics: topics,
            commitInterval: .milliseconds(100),
            commitMaxRecords: 1_000,
            stateDirectory: nil,
            transactionTimeout: .seconds(10),
            sessionTimeout: .seconds(6)
        )
    }

    /// Runs a fold until it has folded and committed `inputs` records, then stops it as a shutdown does.
    private static func fold(_ configuration: FoldConfiguration, inputs: Int) async throws {
        let runtime = FoldRuntime(configuration: configuration, logger: OperationsHarness.logger)
        let task = Task { try await runtime.run() }
        let deadline = ContinuousClock.now + .seconds(90)
        while !(runtime.status.inputRecords >= inputs && runtime.status.uncommittedInputRecords == 0) {
            guard ContinuousClock.now < deadline else {
                task.cancel()
                throw HarnessError("the fold did not commit \(inputs) inputs in time (status \(runtime.status))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        try await task.value
    }

    private static func attendeeEvent(
        tenant: String = "acme",
        email: String = "Jane.Doe@Example.com",
        event: String,
        id: String,
        status: String
    ) -> [UInt8] {
        Array(
            """
            {"type":"attendee.status","version":1,"eventId":"\(id)","tenant":"\(tenant)",\
            "occurredAt":"2026-11-22T10:00:00.000Z","virtualEventId":"\(event)","email":"\(email)",\
            "status":"\(status)"}
            """.utf8
        )
    }

    @Test("unmapped_event and unknown_tenant: dead-lettered, configuration fixed, fold restarted, replayed, folded")
    func missingConfigurationIsFoldedAfterReplay() async throws {
        let topics = FoldConfiguration.Topics.standard.prefixed("foldreplay-\(UUID().uuidString.prefix(6))-")
        let cluster = try OperationsHarness.shared()
        for topic in Set(topics.inputs + [topics.changelog, topics.deadLetter] + topics.commands.values) {
            try cluster.createTopic(topic, partitions: OperationsHarness.partitions)
        }
        let group = "fold-replay-\(UUID().uuidString.prefix(6))"
        let key = Array("acme/jane.doe@example.com".utf8)
        _ = try await OperationsHarness.produce([
            OutgoingRecord(
                topic: topics.attendee,
                key: key,
                value: Self.attendeeEvent(event: "summit", id: "e1", status: "Registered")
            ),
            OutgoingRecord(
                topic: topics.attendee,
                key: key,
                value: Self.attendeeEvent(event: "workshop", id: "e2", status: "Registered")
            ),
            OutgoingRecord(
                topic: topics.attendee,
                key: Array("initech/bob@initech.example".utf8),
                value: Self.attendeeEvent(
                    tenant: "initech",
                    email: "bob@initech.example",
                    event: "kickoff",
                    id: "e3",
                    status: "Registered"
                )
            ),
        ])

        // The configuration lacks the workshop and the tenant initech: their events are dead-lettered.
        try await Self.fold(
            try Self.configuration(topics, tenants: Self.tenants(mapping: ["summit": 1001]), group: group),
            inputs: 3
        )
        let deadLetters = try await OperationsHarness.list([topics.deadLetter])
        #expect(deadLetters.count == 2)
        #expect(deadLetters.allSatisfy { $0.errorClass == "invalid_input" && $0.originalTopic == topics.attendee })
        let reasons = Dictionary(deadLetters.map { ($0.tenant ?? "?", $0.errorCode ?? "?") }, uniquingKeysWith: { $1 })
        #expect(reasons == ["acme": "unmapped_event", "initech": "unknown_tenant"])
        let marketo = try #require(topics.commands[.marketo])
        let before = try await OperationsHarness.readAll(marketo).map { try CommandCodec.decode($0.value) }
        #expect(before.map(\.virtualEventId) == ["summit"])

        // The mapping and the tenant are added; the fold restarts with them; the dead letters are replayed.
        let filter = DeadLetterFilter(errorCodes: ["unmapped_event", "unknown_tenant"])
        let summary = try await OperationsHarness.replayer().replay(
            from: [topics.deadLetter],
            matching: filter,
            options: try DeadLetterReplayOptions(replayId: "workshop-and-initech")
        )
        #expect(summary.replayed == 2)
        let fixed = Self.tenants(mapping: ["summit": 1001, "workshop": 1002], withInitech: true)
        try await Self.fold(try Self.configuration(topics, tenants: fixed, group: group), inputs: 2)

        let after = try await OperationsHarness.readAll(marketo).map { try CommandCodec.decode($0.value) }
        let workshop = after.filter { $0.virtualEventId == "workshop" }
        #expect(workshop.count == 1)
        #expect(workshop.first?.target == .marketo(programId: 1002))
        #expect(workshop.first?.leadKey.rawValue == "acme/jane.doe@example.com")
        #expect(workshop.first?.sourceEventId == "e2")
        let kickoff = after.filter { $0.virtualEventId == "kickoff" }
        #expect(kickoff.count == 1)
        #expect(kickoff.first?.target == .marketo(programId: 2001))
        #expect(kickoff.first?.tenant == "initech")
        #expect(after.filter { $0.virtualEventId == "summit" }.count == 1, "the summit command is not emitted again")
        #expect(try await OperationsHarness.list([topics.deadLetter]).count == 2, "nothing dead-lettered again")

        // And the same replay id again changes nothing.
        let again = try await OperationsHarness.replayer().replay(
            from: [topics.deadLetter],
            matching: filter,
            options: try DeadLetterReplayOptions(replayId: "workshop-and-initech")
        )
        #expect(again.replayed == 0)
        #expect(again.alreadyReplayed == 2)
    }
}
