import Fold
import Foundation
import Kafka
import LeadModel
import Operations
import Testing
import Topics

@Suite("An input dead-lettered for a missing mapping is folded after the fix and a replay", .serialized)
struct FoldReplayTests {
    private static func tenants(mapping events: [String: Int]) -> TenantDirectory {
        TenantDirectory([
            TenantRules(
                tenant: "acme",
                eventMappings: events.mapValues { EventMapping(marketoProgramId: $0) },
                destinations: [.marketo],
                participatedRule: .disabled,
                settleWindowMilliseconds: 86_400_000
            )
        ])
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

    private static func attendeeEvent(event: String, id: String, status: String) -> [UInt8] {
        Array(
            """
            {"type":"attendee.status","version":1,"eventId":"\(id)","tenant":"acme",\
            "occurredAt":"2026-11-22T10:00:00.000Z","virtualEventId":"\(event)","email":"Jane.Doe@Example.com",\
            "status":"\(status)"}
            """.utf8
        )
    }

    @Test("unmapped_event: dead-lettered, mapping added, fold restarted, replayed, folded into a command")
    func unmappedEventIsFoldedAfterReplay() async throws {
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
        ])

        // The configuration lacks the workshop: its event is dead-lettered.
        try await Self.fold(
            try Self.configuration(topics, tenants: Self.tenants(mapping: ["summit": 1001]), group: group),
            inputs: 2
        )
        let deadLetters = try await OperationsHarness.list([topics.deadLetter])
        #expect(deadLetters.count == 1)
        let letter = try #require(deadLetters.first)
        #expect(letter.errorClass == "invalid_input")
        #expect(letter.errorCode == "unmapped_event")
        #expect(letter.tenant == "acme")
        #expect(letter.originalTopic == topics.attendee)
        let marketo = try #require(topics.commands[.marketo])
        let before = try await OperationsHarness.readAll(marketo).map { try CommandCodec.decode($0.value) }
        #expect(before.map(\.virtualEventId) == ["summit"])

        // The mapping is added; the fold restarts with it; the dead letter is replayed.
        let summary = try await OperationsHarness.replayer().replay(
            from: [topics.deadLetter],
            matching: DeadLetterFilter(tenants: ["acme"], errorCodes: ["unmapped_event"]),
            options: try DeadLetterReplayOptions(replayId: "acme-workshop-mapping")
        )
        #expect(summary.replayed == 1)
        let fixed = Self.tenants(mapping: ["summit": 1001, "workshop": 1002])
        try await Self.fold(try Self.configuration(topics, tenants: fixed, group: group), inputs: 1)

        let after = try await OperationsHarness.readAll(marketo).map { try CommandCodec.decode($0.value) }
        let workshop = after.filter { $0.virtualEventId == "workshop" }
        #expect(workshop.count == 1)
        #expect(workshop.first?.target == .marketo(programId: 1002))
        #expect(workshop.first?.leadKey.rawValue == "acme/jane.doe@example.com")
        #expect(workshop.first?.sourceEventId == "e2")
        #expect(after.filter { $0.virtualEventId == "summit" }.count == 1, "the summit command is not emitted again")
        #expect(try await OperationsHarness.list([topics.deadLetter]).count == 1, "nothing dead-lettered again")

        // And the same replay id again changes nothing.
        let again = try await OperationsHarness.replayer().replay(
            from: [topics.deadLetter],
            matching: DeadLetterFilter(tenants: ["acme"], errorCodes: ["unmapped_event"]),
            options: try DeadLetterReplayOptions(replayId: "acme-workshop-mapping")
        )
        #expect(again.replayed == 0)
        #expect(again.alreadyReplayed == 1)
    }
}
