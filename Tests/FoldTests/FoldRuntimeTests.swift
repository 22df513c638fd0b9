import Foundation
import Kafka
import LeadModel
import RecordHeaders
import Simulation
import Testing

@testable import Fold

@Suite("The fold runtime on the mock cluster", .serialized)
struct FoldRuntimeTests {
    @Test("out-of-order and duplicate streams give exactly the reference's commands; poison is dead-lettered")
    func foldsLikeTheReference() async throws {
        let topics = try FoldHarness.makeTopics("reference")
        let rates = SimulationRates(outOfOrder: 0.2, duplicate: 0.1, poison: 0.05)
        let records = Array(FoldHarness.plan(leads: 300, rates: rates, seed: 7).records())
        try await FoldHarness.produce(records, to: topics)

        let fold = FoldHarness.RunningFold(try FoldHarness.configuration(topics: topics, group: "g-reference"))
        try await fold.waitUntilCommitted(inputs: records.count)
        try await fold.stop()

        let ids = try await FoldHarness.commandIds(topics)
        let expected = ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants())
        #expect(ids.count == Set(ids).count, "no command twice")
        #expect(Set(ids) == expected)
        #expect(expected.count > 1_000)

        let deadLetters = try await FoldHarness.readAll(topics.deadLetter)
        let poison = records.compactMap(\.intent.poisonKind)
        #expect(deadLetters.count == poison.count)
        #expect(
            deadLetters.compactMap { $0.headers.string(for: DeadLetterHeaders.errorCode) }.sorted()
                == poison.map(\.rejectionCode.rawValue).sorted()
        )
        for letter in deadLetters {
            #expect(
                letter.headers.string(for: DeadLetterHeaders.originalTopic) == topics.attendee
                    || letter.headers.string(for: DeadLetterHeaders.originalTopic) == topics.engagement
            )
            #expect(letter.headers.string(for: DeadLetterHeaders.errorMessage)?.isEmpty == false)
            #expect(letter.headers.string(for: DeadLetterHeaders.errorClass) == "invalid_input")
        }
    }

    @Test(
        "commits overlapping the next fold: every state record comes before its transaction's checkpoint, never after"
    )
    func checkpointsFollowTheirTransactions() async throws {
        let topics = try FoldHarness.makeTopics("overlap")
        let records = Array(
            FoldHarness.plan(leads: 300, rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.05), seed: 13).records()
        )
        try await FoldHarness.produce(records, to: topics)
        // Small transactions and polls: nearly every commit is due with a freshly polled batch, and overlaps it.
        let configuration = try FoldHarness.configuration(
            topics: topics,
            group: "g-overlap",
            commitMaxRecords: 100,
            maxPollRecords: 100
        )
        let fold = FoldHarness.RunningFold(configuration)
        try await fold.waitUntilCommitted(inputs: records.count)
        try await fold.stop()

        var checkpointed = 0
        var states = 0
        for partition in Int32(0)..<Int32(FoldHarness.partitions) {
            let log = try await FoldHarness.readAll(topics.changelog).filter { $0.partition == partition }
            // The fold stopped gracefully, so every transaction's checkpoint is in the log, after its states.
            var vouched: Set<String> = []
            var unvouched: Set<String> = []
            for record in log {
                if record.key == FoldCheckpoint.key {
                    let checkpoint = try FoldCheckpoint.decode(record.value ?? [])
                    vouched.insert(checkpoint.token)
                    unvouched.remove(checkpoint.token)
                    checkpointed += 1
                } else {
                    let token = try #require(FoldHeaders.string(FoldHeaders.transactionToken, in: record.headers))
                    #expect(!vouched.contains(token), "partition \(partition): a state record after its checkpoint")
                    unvouched.insert(token)
                    states += 1
                }
            }
            #expect(unvouched.isEmpty, "partition \(partition): state records without a checkpoint: \(unvouched)")
        }
        #expect(checkpointed > 2 * FoldHarness.partitions, "many transactions per partition")
        #expect(states >= 300)

        let ids = try await FoldHarness.commandIds(topics)
        #expect(ids.count == Set(ids).count, "no command twice")
        #expect(Set(ids) == ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants()))
        let expected = ReferenceFold.states(for: records, tenants: FoldHarness.tenants())
        let committed = try await FoldHarness.committedStates(topics)
        #expect(Set(committed.keys) == Set(expected.keys))
        for (key, state) in expected {
            #expect(committed[key]?.memberships == state.memberships, "\(key)")
        }
    }

    @Test("a replay of the inputs from offset 0 into a fresh fold rebuilds the same state and the same command ids")
    func replayIsDeterministic() async throws {
        let first = try FoldHarness.makeTopics("replay")
        let records = Array(
            FoldHarness.plan(leads: 200, rates: SimulationRates(outOfOrder: 0.2, duplicate: 0.1), seed: 11).records()
        )
        try await FoldHarness.produce(records, to: first)
        let original = FoldHarness.RunningFold(try FoldHarness.configuration(topics: first, group: "g-replay-1"))
        try await original.waitUntilCommitted(inputs: records.count)
        try await original.stop()

        // Same inputs, everything else fresh.
        var second = FoldConfiguration.Topics.standard.prefixed("replay-2-\(UUID().uuidString.prefix(6))-")
        second.attendee = first.attendee
        second.engagement = first.engagement
        try FoldHarness.create(second, existing: [first.attendee, first.engagement])
        let replay = FoldHarness.RunningFold(try FoldHarness.configuration(topics: second, group: "g-replay-2"))
        try await replay.waitUntilCommitted(inputs: records.count)
        try await replay.stop()

        let originalIds = try await FoldHarness.commandIds(first)
        let replayedIds = try await FoldHarness.commandIds(second)
        #expect(Set(replayedIds) == Set(originalIds))
        #expect(replayedIds.count == originalIds.count)

        let originalStates = try await FoldHarness.committedStates(first)
        let replayedStates = try await FoldHarness.committedStates(second)
        #expect(originalStates.count == 200)
        #expect(Set(replayedStates.keys) == Set(originalStates.keys))
        for (key, state) in originalStates {
            let replayed = try #require(replayedStates[key])
            #expect(replayed.memberships == state.memberships, "\(key)")
            #expect(replayed.timelines == state.timelines, "\(key)")
            #expect(replayed.engagements.map(\.occurredAt) == state.engagements.map(\.occurredAt), "\(key)")
        }
    }

    @Test("a fold restarted on the same group restores its state (snapshot and changelog) and emits nothing twice")
    func restartRestores() async throws {
        let topics = try FoldHarness.makeTopics("restart")
        let stateDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fold-restart-\(UUID().uuidString)").path
        let records = Array(
            FoldHarness.plan(leads: 200, rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.05), seed: 3).records()
        )
        let half = records.count / 2
        let configuration = try FoldHarness.configuration(
            topics: topics,
            group: "g-restart",
            stateDirectory: stateDirectory
        )

        try await FoldHarness.produce(Array(records[..<half]), to: topics)
        let first = FoldHarness.RunningFold(configuration)
        try await first.waitUntilCommitted(inputs: half)
        try await first.stop()
        let snapshots = try FileManager.default.contentsOfDirectory(
            atPath: "\(stateDirectory)/g-restart"
        )
        #expect(snapshots.count == FoldHarness.partitions, "a snapshot per partition on leaving the group")

        try await FoldHarness.produce(Array(records[half...]), to: topics)
        let second = FoldHarness.RunningFold(configuration)
        try await second.waitUntilCommitted(inputs: records.count - half)
        try await second.stop()

        let ids = try await FoldHarness.commandIds(topics)
        #expect(ids.count == Set(ids).count, "no command twice")
        #expect(Set(ids) == ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants()))
    }

    @Test("a restart without snapshots restores from the changelog alone")
    func restartFromChangelogOnly() async throws {
        let topics = try FoldHarness.makeTopics("changelog-only")
        let records = Array(FoldHarness.plan(leads: 120, rates: .none, seed: 5).records())
        let half = records.count / 2
        let configuration = try FoldHarness.configuration(topics: topics, group: "g-changelog-only")
        try await FoldHarness.produce(Array(records[..<half]), to: topics)
        let first = FoldHarness.RunningFold(configuration)
        try await first.waitUntilCommitted(inputs: half)
        try await first.stop()
        try await FoldHarness.produce(Array(records[half...]), to: topics)
        let second = FoldHarness.RunningFold(configuration)
        try await second.waitUntilCommitted(inputs: records.count - half)
        try await second.stop()
        let ids = try await FoldHarness.commandIds(topics)
        #expect(ids.count == Set(ids).count)
        #expect(Set(ids) == ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants()))
    }

    @Test("records with non-canonical keys are re-keyed through the repartition topic and folded by their owner")
    func repartitionsNonCanonicalKeys() async throws {
        let topics = try FoldHarness.makeTopics("repartition")
        let records = Array(
            FoldHarness.plan(leads: 150, rates: SimulationRates(nonCanonicalKey: 0.3, emailVariation: 0.3), seed: 9)
                .records()
        )
        let rekeyed = records.filter { !$0.intent.isKeyCanonical && $0.intent.poisonKind == nil }.count
        #expect(rekeyed > 50)
        try await FoldHarness.produce(records, to: topics)
        let fold = FoldHarness.RunningFold(try FoldHarness.configuration(topics: topics, group: "g-repartition"))
        try await fold.waitUntilCommitted(inputs: records.count + rekeyed)
        try await fold.stop()

        let repartitioned = try await FoldHarness.readAll(topics.repartition)
        #expect(repartitioned.count == rekeyed)
        for record in repartitioned {
            let key = try #require(record.key)
            #expect(record.partition == Murmur2Partitioner.partition(for: key, partitionCount: FoldHarness.partitions))
        }
        // Every command sits on its lead key's partition, and every lead was folded.
        var commandCount = 0
        for topic in topics.commands.values {
            for record in try await FoldHarness.readAll(topic) {
                let key = try #require(record.key)
                #expect(
                    record.partition == Murmur2Partitioner.partition(for: key, partitionCount: FoldHarness.partitions)
                )
                commandCount += 1
            }
        }
        #expect(commandCount > 0)
        let states = try await FoldHarness.committedStates(topics)
        #expect(states.count == 150)
    }

    @Test("two folds in one group: one leaves and rejoins; every command exactly once")
    func twoMembersLeaveAndRejoin() async throws {
        let topics = try FoldHarness.makeTopics("members")
        let records = Array(
            FoldHarness.plan(leads: 300, rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.05), seed: 21).records()
        )
        let third = records.count / 3
        let a = FoldHarness.RunningFold(
            try FoldHarness.configuration(topics: topics, group: "g-members", instance: "a")
        )
        var b = FoldHarness.RunningFold(
            try FoldHarness.configuration(topics: topics, group: "g-members", instance: "b")
        )
        try await FoldHarness.waitUntil(timeout: .seconds(60), "both members active") {
            a.runtime.status.activePartitions.count + b.runtime.status.activePartitions.count == FoldHarness.partitions
                && !a.runtime.status.activePartitions.isEmpty && !b.runtime.status.activePartitions.isEmpty
        }
        try await FoldHarness.produce(Array(records[..<third]), to: topics)
        try await FoldHarness.waitUntil(timeout: .seconds(60), "the first third folded") {
            a.runtime.status.inputRecords + b.runtime.status.inputRecords >= third
                && a.runtime.status.uncommittedInputRecords == 0 && b.runtime.status.uncommittedInputRecords == 0
        }
        try await b.stop()
        try await FoldHarness.produce(Array(records[third..<(2 * third)]), to: topics)
        b = FoldHarness.RunningFold(try FoldHarness.configuration(topics: topics, group: "g-members", instance: "b"))
        try await FoldHarness.produce(Array(records[(2 * third)...]), to: topics)
        try await FoldHarness.waitUntil(timeout: .seconds(90), "every command written") {
            b.runtime.status.isReady && a.runtime.status.isReady
                && a.runtime.status.uncommittedInputRecords == 0 && b.runtime.status.uncommittedInputRecords == 0
        }
        let expected = ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants())
        var ids: [String] = []
        let deadline = ContinuousClock.now + .seconds(60)
        repeat {
            ids = try await FoldHarness.commandIds(topics)
            if Set(ids) == expected { break }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        try await a.stop()
        try await b.stop()
        ids = try await FoldHarness.commandIds(topics)
        #expect(ids.count == Set(ids).count, "no command twice")
        #expect(Set(ids) == expected)
    }

    @Test("engagement derives Participated end to end when the tenant's rule is on")
    func participatedDerivation() async throws {
        let topics = try FoldHarness.makeTopics("participated")
        let tenants = FoldHarness.tenants(participated: true)
        let records = Array(FoldHarness.plan(leads: 60, events: 10, rates: .none, seed: 4).records())
        try await FoldHarness.produce(records, to: topics)
        let fold = FoldHarness.RunningFold(
            try FoldHarness.configuration(topics: topics, group: "g-participated", tenants: tenants)
        )
        try await fold.waitUntilCommitted(inputs: records.count)
        try await fold.stop()
        var derived = 0
        for topic in topics.commands.values {
            for record in try await FoldHarness.readAll(topic) {
                let command = try CommandCodec.decode(record.value)
                if case .memberStatus(let change) = command.payload, change.status == .participated {
                    #expect(change.isDerived)
                    derived += 1
                }
            }
        }
        #expect(derived > 0)
    }

    @Test("the wall-clock settle timer sends each entry's custom activity once, after the window, without new input")
    func settleTimerEmitsActivities() async throws {
        let topics = try FoldHarness.makeTopics("settle")
        let tenants = FoldHarness.tenants(settleWindowMilliseconds: 1_500)
        let records = Array(FoldHarness.plan(leads: 40, events: 10, rates: .none, seed: 12).records())
        // Entries whose last snapshot did not end the session wait for the timer.
        let decoder = InputEventDecoder()
        var entries: Set<String> = []
        var ended: Set<String> = []
        for record in records {
            guard case .engagement(let event) = try decoder.decode(record.value),
                tenants.rules(for: event.tenant)?
                    .eventMappings[event.virtualEventId]?.marketoProgramId != nil
            else { continue }
            let entry = "\(event.leadKey)|\(event.virtualEventId)|\(event.entry.id)"
            entries.insert(entry)
            if event.sessionEnded { ended.insert(entry) }
        }
        #expect(entries.count > ended.count, "some entries rely on the timer")

        try await FoldHarness.produce(records, to: topics)
        let fold = FoldHarness.RunningFold(
            try FoldHarness.configuration(
                topics: topics,
                group: "g-settle",
                tenants: tenants,
                settleCheckInterval: .milliseconds(200)
            )
        )
        try await fold.waitUntilCommitted(inputs: records.count)
        var activities: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        repeat {
            try await Task.sleep(for: .milliseconds(500))
            activities = try await FoldHarness.readAll(topics.commands[.marketo] ?? "").compactMap { record in
                let command = try CommandCodec.decode(record.value)
                guard case .engagementActivity(let snapshot) = command.payload else { return nil }
                return "\(command.leadKey)|\(command.virtualEventId)|\(snapshot.entry.id)"
            }
        } while Set(activities) != entries && ContinuousClock.now < deadline
        try await fold.stop()
        #expect(Set(activities) == entries, "one activity per (lead, event, entry)")
        #expect(activities.count == Set(activities).count, "never twice")
    }
}
