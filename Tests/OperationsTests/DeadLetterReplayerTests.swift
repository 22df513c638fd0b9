import Kafka
import LeadModel
import Operations
import RecordHeaders
import Testing

@Suite("Replaying dead letters on the mock cluster", .serialized)
struct DeadLetterReplayerTests {
    private func options(
        _ id: String,
        dryRun: Bool = false,
        rate: Double? = nil,
        limit: Int? = nil
    ) throws -> DeadLetterReplayOptions {
        try DeadLetterReplayOptions(replayId: id, isDryRun: dryRun, recordsPerSecond: rate, limit: limit)
    }

    @Test("a dry run plans the matching dead letters and publishes nothing")
    func dryRunChangesNothing() async throws {
        let topics = try OperationsHarness.makeTopics("dry")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme", "globex"], perTenant: 5)
        let commandsBefore = try await OperationsHarness.ends(topics.commands)
        let deadLettersBefore = try await OperationsHarness.ends(topics.commandsDeadLetter)

        let summary = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: DeadLetterFilter(tenants: ["acme"]),
            options: try options("dry-1", dryRun: true)
        )

        #expect(summary.isDryRun)
        #expect(summary.scanned == 10)
        #expect(summary.matched == 5)
        #expect(summary.planned.count == 5)
        #expect(summary.planned.allSatisfy { $0.tenant == "acme" && $0.target.topic == topics.commands })
        #expect(summary.replayed == 0)
        #expect(try await OperationsHarness.ends(topics.commands) == commandsBefore)
        #expect(try await OperationsHarness.ends(topics.commandsDeadLetter) == deadLettersBefore)

        // A dry run leaves no trace: the real run still replays all five.
        let real = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: DeadLetterFilter(tenants: ["acme"]),
            options: try options("dry-1")
        )
        #expect(real.replayed == 5)
        #expect(real.alreadyReplayed == 0)
    }

    @Test("replay re-publishes to the original topic and partition, in original order, with the replay headers")
    func replaysToTheOrigin() async throws {
        let topics = try OperationsHarness.makeTopics("origin")
        let originals = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 8)
        let before = try await OperationsHarness.ends(topics.commands)

        let summary = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: DeadLetterFilter(errorCodes: ["1013"]),
            options: try options("origin-1")
        )
        #expect(summary.replayed == 8)
        #expect(summary.failed.isEmpty)

        let replayed = try await OperationsHarness.readAll(topics.commands).filter {
            $0.headers.string(for: ReplayHeaders.id) == "origin-1"
        }
        #expect(replayed.count == 8)
        let after = try await OperationsHarness.ends(topics.commands)
        #expect(zip(after, before).map { $0 - $1 }.reduce(0, +) == 8)
        for record in replayed {
            let original = try #require(
                originals.first {
                    "\($0.offset)" == record.headers.string(for: DeadLetterHeaders.originalOffset)
                        && $0.partition == record.partition
                }
            )
            #expect(record.key == original.key)
            #expect(record.value == original.value)
            #expect(record.offset > original.offset)
            #expect(record.headers.string(for: DeadLetterHeaders.errorCode) == nil)
            #expect(record.headers.string(for: "leadsync.tenant") == "acme")
            #expect(
                record.headers.string(for: ReplayHeaders.source)?.hasPrefix(topics.commandsDeadLetter + "/") == true
            )
        }
        // Within a partition, replayed in the order of the original offsets.
        for partition in Set(replayed.map(\.partition)) {
            let originalOffsets = replayed.filter { $0.partition == partition }.sorted { $0.offset < $1.offset }
                .compactMap { $0.headers.string(for: DeadLetterHeaders.originalOffset).flatMap { Int64($0) } }
            #expect(originalOffsets == originalOffsets.sorted())
        }
    }

    @Test("a second replay with the same id publishes nothing; another id replays again")
    func sameIdTwiceIsANoOp() async throws {
        let topics = try OperationsHarness.makeTopics("twice")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 6)
        let filter = DeadLetterFilter(tenants: ["acme"])

        let first = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: filter,
            options: try options("twice-1")
        )
        #expect(first.replayed == 6)
        let afterFirst = try await OperationsHarness.ends(topics.commands)

        let second = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: filter,
            options: try options("twice-1")
        )
        #expect(second.replayed == 0)
        #expect(second.planned.isEmpty)
        #expect(second.alreadyReplayed == 6)
        #expect(try await OperationsHarness.ends(topics.commands) == afterFirst)

        let other = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: filter,
            options: try options("twice-2")
        )
        #expect(other.replayed == 6)
        let ids = try await OperationsHarness.readAll(topics.commands).compactMap {
            $0.headers.string(for: ReplayHeaders.id)
        }
        #expect(ids.filter { $0 == "twice-1" }.count == 6)
        #expect(ids.filter { $0 == "twice-2" }.count == 6)
    }

    @Test("a replay cut short (limit, crash) completes on the next run with the same id, every record once")
    func resumesAfterACut() async throws {
        let topics = try OperationsHarness.makeTopics("resume")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme", "globex"], perTenant: 5)

        let partial = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("resume-1", limit: 4)
        )
        #expect(partial.replayed == 4)
        #expect(partial.leftByLimit == 6)

        // A run that died after publishing some records leaves just those records behind: publish two of the
        // remaining dead letters by hand exactly as the replayer would have, then rerun.
        let done = Set(partial.planned.map(\.source))
        let remaining = try await OperationsHarness.list([topics.commandsDeadLetter]).filter {
            !done.contains($0.reference)
        }
        let crashed = remaining.prefix(2).map {
            $0.replayRecord(
                replayId: "resume-1",
                target: TopicPartition(topic: topics.commands, partition: $0.originalPartition!),
                at: Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)
            )
        }
        _ = try await OperationsHarness.produce(crashed)

        let rest = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("resume-1")
        )
        #expect(rest.alreadyReplayed == 6)
        #expect(rest.replayed == 4)

        let sources = try await OperationsHarness.readAll(topics.commands).filter {
            $0.headers.string(for: ReplayHeaders.id) == "resume-1"
        }.compactMap { $0.headers.string(for: ReplayHeaders.source) }
        #expect(sources.count == 10)
        #expect(Set(sources).count == 10, "every dead letter replayed exactly once")
    }

    @Test("the rate limit is honoured: n records at r per second take at least (n - burst) / r seconds")
    func rateLimit() async throws {
        let topics = try OperationsHarness.makeTopics("rate")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 12)
        var replayingReports: [DeadLetterReplayProgress] = []
        let started = ContinuousClock.now
        let summary = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("rate-1", rate: 10)
        ) { progress in
            if progress.phase == .replaying { replayingReports.append(progress) }
        }
        let elapsed = ContinuousClock.now - started
        #expect(summary.replayed == 12)
        // Burst 1 at 10/s: the 12th record waits 11 tokens, 1.1 s.
        #expect(elapsed >= .milliseconds(1_100))
        // Published one at a time, never more than the bucket holds.
        let counts = replayingReports.map(\.replayed)
        #expect(zip(counts.dropFirst(), counts).allSatisfy { $0 - $1 <= 1 })
        #expect(counts.last == 12)

        // The broker's timestamps of the replayed records span the same time.
        let times = try await OperationsHarness.readAll(topics.commands)
            .filter { $0.headers.string(for: ReplayHeaders.id) == "rate-1" }.compactMap(\.timestamp).sorted()
        #expect(times.count == 12)
        #expect((times.last ?? 0) - (times.first ?? 0) >= 1_000)
    }

    @Test("dead letters of the replay's own output are never replayed by the same id; unroutable ones are reported")
    func ownDeadLettersAndUnroutable() async throws {
        let topics = try OperationsHarness.makeTopics("own")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 3)
        let first = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("own-1")
        )
        #expect(first.replayed == 3)

        // The writer fails the replayed commands again: they come back as dead letters carrying the replay id.
        let replayed = try await OperationsHarness.readAll(topics.commands).filter {
            $0.headers.string(for: ReplayHeaders.id) == "own-1"
        }
        _ = try await OperationsHarness.produce(
            replayed.map {
                OperationsHarness.deadLetter(
                    of: $0,
                    to: topics.commandsDeadLetter,
                    errorClass: "permanent",
                    code: "1013"
                )
            }
        )
        // And a dead letter whose original topic is gone.
        let orphan = ConsumedRecord(
            topic: topics.prefix + "retired.commands",
            partition: 0,
            offset: 0,
            key: Array("acme/z@acme.example".utf8),
            value: OperationsHarness.commandValue(tenant: "acme", email: "z@acme.example")
        )
        _ = try await OperationsHarness.produce([
            OperationsHarness.deadLetter(
                of: orphan,
                to: topics.commandsDeadLetter,
                errorClass: "permanent",
                code: "1013"
            )
        ])

        let again = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("own-1")
        )
        #expect(again.matched == 7)
        #expect(again.ownDeadLetters == 3)
        #expect(again.alreadyReplayed == 3)
        #expect(again.unroutable.count == 1)
        #expect(again.unroutable.first?.reason.contains("retired.commands' does not exist") == true)
        #expect(again.replayed == 0)

        // Under a new id, after the cause is fixed, the second-generation dead letters replay (the first
        // generation too: it is another id).
        let fixed = try await OperationsHarness.replayer().replay(
            from: [topics.commandsDeadLetter],
            matching: .all,
            options: try options("own-2")
        )
        #expect(fixed.replayed == 6)
        #expect(fixed.unroutable.count == 1)
    }
}
