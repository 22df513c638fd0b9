import Kafka
import LeadModel
import Operations
import Testing

@Suite("Reading and filtering dead letters on the mock cluster", .serialized)
struct DeadLetterReaderTests {
    @Test("reads every partition to its end, empty ones included, and filters by tenant, class, code, origin and time")
    func filters() async throws {
        let topics = try OperationsHarness.makeTopics("filters")
        let day = Timestamp(rfc3339: "2026-11-24T00:00:00Z")!
        // Commands of acme and globex dead-lettered on the 24th, initech's transient failures on the 25th.
        _ = try await OperationsHarness.seedCommandDeadLetters(
            topics,
            tenants: ["acme", "globex"],
            perTenant: 4,
            deadLetteredAt: day.adding(milliseconds: 3_600_000)
        )
        _ = try await OperationsHarness.seedCommandDeadLetters(
            topics,
            tenants: ["initech"],
            perTenant: 3,
            errorClass: "transient",
            code: "604",
            deadLetteredAt: day.adding(milliseconds: 86_400_000 + 3_600_000)
        )
        // Fold dead letters: an unmapped event of acme, and a record that is not JSON and has no key.
        let inputs = try await OperationsHarness.produce([
            OutgoingRecord(
                topic: topics.attendee,
                key: Array("acme/x@acme.example".utf8),
                value: Array(#"{"type":"attendee.status","tenant":"acme","virtualEventId":"nope"}"#.utf8)
            ),
            OutgoingRecord(topic: topics.attendee, key: nil, value: Array("garbage".utf8)),
        ])
        _ = try await OperationsHarness.produce([
            OperationsHarness.deadLetter(
                of: inputs[0],
                to: topics.eventsDeadLetter,
                errorClass: "invalid_input",
                code: "unmapped_event",
                deadLetteredAt: day
            ),
            OperationsHarness.deadLetter(
                of: inputs[1],
                to: topics.eventsDeadLetter,
                errorClass: "invalid_input",
                code: "not_json",
                deadLetteredAt: day
            ),
        ])

        let all = try await OperationsHarness.list(topics.deadLetterTopics)
        #expect(all.count == 13, "8 + 3 command dead letters, 2 of the fold")
        #expect(Set(all.map(\.reference)).count == all.count, "each dead letter once")

        let acme = try await OperationsHarness.list(topics.deadLetterTopics, DeadLetterFilter(tenants: ["acme"]))
        #expect(acme.count == 5)
        #expect(acme.allSatisfy { $0.tenant == "acme" })

        let transient = try await OperationsHarness.list(
            topics.deadLetterTopics,
            DeadLetterFilter(errorClasses: ["transient"])
        )
        #expect(transient.count == 3)
        #expect(Set(transient.compactMap(\.tenant)) == ["initech"])

        let codes = try await OperationsHarness.list(
            topics.deadLetterTopics,
            DeadLetterFilter(errorCodes: ["not_json", "604"])
        )
        #expect(codes.count == 4)

        let fromInputs = try await OperationsHarness.list(
            topics.deadLetterTopics,
            DeadLetterFilter(originalTopics: [topics.attendee])
        )
        #expect(fromInputs.compactMap(\.errorCode).sorted() == ["not_json", "unmapped_event"])

        let onThe24th = try await OperationsHarness.list(
            topics.deadLetterTopics,
            DeadLetterFilter(since: day, until: day.adding(milliseconds: 86_400_000))
        )
        #expect(onThe24th.count == 10)
        let sinceThe25th = try await OperationsHarness.list(
            topics.deadLetterTopics,
            DeadLetterFilter(since: day.adding(milliseconds: 86_400_000))
        )
        #expect(sinceThe25th.count == 3)

        let combined = try await OperationsHarness.list(
            [topics.commandsDeadLetter],
            DeadLetterFilter(tenants: ["acme", "initech"], errorClasses: ["permanent"], errorCodes: ["1013"])
        )
        #expect(combined.count == 4)
        #expect(combined.allSatisfy { $0.tenant == "acme" && $0.originalTopic == topics.commands })
    }

    @Test("a read stops where the body says, and the summary says so; progress is reported")
    func stopsEarly() async throws {
        let topics = try OperationsHarness.makeTopics("stop")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 10)
        var seen = 0
        var reports: [DeadLetterReader.Progress] = []
        let summary = try await OperationsHarness.reader().read(
            [topics.commandsDeadLetter],
            matching: .all,
            progress: { reports.append($0) },
            { _ in
                seen += 1
                return seen < 4
            }
        )
        #expect(seen == 4)
        #expect(summary.stoppedEarly)
        #expect(summary.extents.reduce(0) { $0 + $1.count } == 10)
        #expect(reports.last?.total == 10)
        #expect(reports.last?.matched == 4)
    }

    @Test("records by reference; precise errors for a missing topic, partition or offset")
    func references() async throws {
        let topics = try OperationsHarness.makeTopics("refs")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 6)
        let all = try await OperationsHarness.list([topics.commandsDeadLetter])
        let wanted = [all[4].reference, all[1].reference]
        let found = try await OperationsHarness.reader().records(at: wanted)
        #expect(found.map(\.reference) == wanted)
        #expect(found[0].record.value == all[4].record.value)

        let reader = try OperationsHarness.reader()
        let missingTopic = await #expect(throws: DeadLetterError.self) {
            try await reader.records(at: [
                DeadLetterReference(topic: topics.prefix + "nope.dlq", partition: 0, offset: 0)
            ])
        }
        #expect(missingTopic?.code == .topicNotFound)
        #expect(missingTopic?.message.contains("'\(topics.prefix)nope.dlq'") == true)

        let badPartition = await #expect(throws: DeadLetterError.self) {
            try await reader.records(at: [
                DeadLetterReference(topic: topics.commandsDeadLetter, partition: 9, offset: 0)
            ])
        }
        #expect(badPartition?.message.contains("has 3 partitions") == true)

        let beyond = await #expect(throws: DeadLetterError.self) {
            try await reader.records(at: [
                DeadLetterReference(topic: topics.commandsDeadLetter, partition: 0, offset: 500)
            ])
        }
        #expect(beyond?.code == .recordNotFound)
        #expect(beyond?.message.contains("beyond the partition's end") == true)

        let unknownTopic = await #expect(throws: DeadLetterError.self) {
            _ = try await reader.read([topics.prefix + "absent.dlq"], matching: .all) { _ in true }
        }
        #expect(unknownTopic?.code == .topicNotFound)
    }
}
