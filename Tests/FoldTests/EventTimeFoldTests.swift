import Foundation
import Kafka
import LeadModel
import Simulation
import Testing

@testable import Fold

/// Event time on the mock cluster: the fold's committed state and the last command of every lead and virtual
/// event do not depend on how the two input topics reach it. Participated is derived (the rule is on).
@Suite("The fold in event time on the mock cluster", .serialized)
struct EventTimeFoldTests {
    static let tenants = FoldHarness.tenants(participated: true)
    static let rates = SimulationRates(outOfOrder: 0.1, duplicate: 0.05, poison: 0.01)

    /// The stream: 300 leads, 8 events each, with out-of-order records, duplicates and poison.
    static func records(seed: UInt64 = 21) -> [SimulatedRecord] {
        Array(FoldHarness.plan(leads: 300, rates: rates, seed: seed).records())
    }

    /// What a run left: the committed states and the command topics' records, per destination.
    struct RunResult {
        var states: [String: LeadState]
        var commands: [Destination: [Command]]
    }

    /// Runs a fold over `batches`, each produced only once the one before was folded and committed.
    static func run(
        _ batches: [[SimulatedRecord]],
        topics: FoldConfiguration.Topics,
        group: String,
        maxPollRecords: Int = 5_000,
        commitMaxRecords: Int = 2_000
    ) async throws -> RunResult {
        let fold = FoldHarness.RunningFold(
            try FoldHarness.configuration(
                topics: topics,
                group: group,
                tenants: tenants,
                commitMaxRecords: commitMaxRecords,
                maxPollRecords: maxPollRecords
            )
        )
        var produced = 0
        for batch in batches {
            try await FoldHarness.produce(batch, to: topics)
            produced += batch.count
            try await fold.waitUntilCommitted(inputs: produced)
        }
        try await fold.stop()
        return try await read(topics)
    }

    static func read(_ topics: FoldConfiguration.Topics) async throws -> RunResult {
        var commands: [Destination: [Command]] = [:]
        for (destination, topic) in topics.commands {
            commands[destination] = try await FoldHarness.readAll(topic).map { try CommandCodec.decode($0.value) }
        }
        return RunResult(states: try await FoldHarness.committedStates(topics), commands: commands)
    }

    /// A state without what follows the fold's wall clock (when each snapshot was folded).
    static func eventTimeOnly(_ state: LeadState) -> LeadState {
        var state = state
        for index in state.engagements.indices {
            if case .pending(var pending) = state.engagements[index].activity {
                pending.lastChangedAt = .epoch
                state.engagements[index].activity = .pending(pending)
            }
        }
        return state
    }

    /// The last member-status command per (lead, virtual event) of one destination, in log order.
    static func lastStatuses(_ commands: [Command]) -> [String: ChannelStatus] {
        var last: [String: ChannelStatus] = [:]
        for command in commands {
            guard case .memberStatus(let change) = command.payload else { continue }
            last["\(command.leadKey.rawValue)|\(command.virtualEventId)"] = change.status
        }
        return last
    }

    /// The last engagement upsert's source event per (lead, virtual event, entry) of one destination.
    static func lastUpserts(_ commands: [Command]) -> [String: String] {
        var last: [String: String] = [:]
        for command in commands {
            guard case .engagementUpsert(let snapshot) = command.payload else { continue }
            last["\(command.leadKey.rawValue)|\(command.virtualEventId)|\(snapshot.entry.id)"] = command.sourceEventId
        }
        return last
    }

    /// What every run must show on its own: no id twice, a status command only on a change of status, and the
    /// last status command of each lead and event equal to the committed status.
    static func checkOwnPromises(_ result: RunResult, _ label: String) {
        for (destination, commands) in result.commands {
            let ids = commands.map(\.commandId)
            #expect(ids.count == Set(ids).count, "\(label) \(destination): no command id twice")
            var previous: [String: ChannelStatus] = [:]
            for command in commands {
                guard case .memberStatus(let change) = command.payload else { continue }
                let slot = "\(command.leadKey.rawValue)|\(command.virtualEventId)"
                #expect(previous[slot] != change.status, "\(label) \(destination) \(slot): a command without a change")
                previous[slot] = change.status
            }
            var expected: [String: ChannelStatus] = [:]
            for (key, state) in result.states {
                for membership in state.memberships {
                    expected["\(key)|\(membership.virtualEventId)"] = membership.status
                }
            }
            #expect(lastStatuses(commands) == expected, "\(label) \(destination): last command == committed status")
        }
    }

    @Test("one input topic folded in full before the other, both orders: the same state and last commands")
    func topicOrderDoesNotMatter() async throws {
        let records = Self.records()
        let attendee = records.filter { $0.topic == "attendee.events" }
        let engagement = records.filter { $0.topic == "engagement.events" }
        let engagementFirst = try await Self.run(
            [engagement, attendee],
            topics: try FoldHarness.makeTopics("engagement-first"),
            group: "g-engagement-first"
        )
        let attendeeFirst = try await Self.run(
            [attendee, engagement],
            topics: try FoldHarness.makeTopics("attendee-first"),
            group: "g-attendee-first"
        )
        Self.checkOwnPromises(engagementFirst, "engagement first")
        Self.checkOwnPromises(attendeeFirst, "attendee first")

        // The domain alone, folding the stream in its own order, predicts the same states.
        let reference = ReferenceFold.states(for: records, tenants: Self.tenants)
        #expect(reference.count == 300)
        #expect(Set(engagementFirst.states.keys) == Set(reference.keys))
        #expect(Set(attendeeFirst.states.keys) == Set(reference.keys))
        for (key, expected) in reference {
            #expect(engagementFirst.states[key].map(Self.eventTimeOnly) == Self.eventTimeOnly(expected), "\(key)")
            #expect(attendeeFirst.states[key].map(Self.eventTimeOnly) == Self.eventTimeOnly(expected), "\(key)")
        }
        var differentPaths = 0
        for destination in [Destination.marketo, .salesforce] {
            let first = engagementFirst.commands[destination] ?? []
            let second = attendeeFirst.commands[destination] ?? []
            #expect(Self.lastStatuses(first) == Self.lastStatuses(second), "\(destination)")
            #expect(Self.lastUpserts(first) == Self.lastUpserts(second), "\(destination)")
            let firstPaths = Self.statusPaths(first)
            let secondPaths = Self.statusPaths(second)
            differentPaths += firstPaths.keys.filter { firstPaths[$0] != secondPaths[$0] }.count
        }
        // The orders really differed: many leads went through other statuses on the way to the same one.
        #expect(differentPaths > 50, "leads and events whose status commands differ on the way: \(differentPaths)")
        let derivedFirst = engagementFirst.commands[.marketo, default: []].filter {
            if case .memberStatus(let change) = $0.payload { change.isDerived } else { false }
        }
        #expect(!derivedFirst.isEmpty)
    }

    /// The statuses each (lead, virtual event) was sent through, in log order.
    static func statusPaths(_ commands: [Command]) -> [String: [ChannelStatus]] {
        var paths: [String: [ChannelStatus]] = [:]
        for command in commands {
            guard case .memberStatus(let change) = command.payload else { continue }
            paths["\(command.leadKey.rawValue)|\(command.virtualEventId)", default: []].append(change.status)
        }
        return paths
    }

    @Test("a replay into a fresh fold, interleaved differently, gives the same state; duplicates emit nothing")
    func replayInAnotherInterleaving() async throws {
        let records = Self.records(seed: 22)
        let topics = try FoldHarness.makeTopics("replay-first")
        let first = try await Self.run([records], topics: topics, group: "g-replay-first")
        Self.checkOwnPromises(first, "first")

        // Every input again (the same event ids) into the same fold group: nothing is a new result.
        let again = FoldHarness.RunningFold(
            try FoldHarness.configuration(topics: topics, group: "g-replay-first", tenants: Self.tenants)
        )
        let before = first.commands.values.reduce(0) { $0 + $1.count }
        let status = again.runtime.status.inputRecords
        try await FoldHarness.produce(records, to: topics)
        try await again.waitUntilCommitted(inputs: status + records.count)
        try await again.stop()
        let afterDuplicates = try await Self.read(topics)
        #expect(afterDuplicates.commands.values.reduce(0) { $0 + $1.count } == before, "no command for a duplicate")

        // The same input topics folded again from offset 0 by a fresh fold (its own group, changelog and command
        // topics), in small polls and transactions: the topics interleave differently, the result is the same.
        var replayTopics = try FoldHarness.makeTopics("replay-second")
        replayTopics.attendee = topics.attendee
        replayTopics.engagement = topics.engagement
        let replay = FoldHarness.RunningFold(
            try FoldHarness.configuration(
                topics: replayTopics,
                group: "g-replay-second",
                tenants: Self.tenants,
                commitMaxRecords: 97,
                maxPollRecords: 31
            )
        )
        try await replay.waitUntilCommitted(inputs: 2 * records.count)
        try await replay.stop()
        let second = try await Self.read(replayTopics)
        Self.checkOwnPromises(second, "replay")
        #expect(Set(second.states.keys) == Set(first.states.keys))
        for (key, state) in first.states {
            #expect(second.states[key].map(Self.eventTimeOnly) == Self.eventTimeOnly(state), "\(key)")
        }
        for destination in [Destination.marketo, .salesforce] {
            #expect(
                Self.lastStatuses(second.commands[destination] ?? [])
                    == Self.lastStatuses(first.commands[destination] ?? [])
            )
        }
    }

    @Test("after a restore, a status that a transaction which did not commit left last is restated")
    func restatesAfterRestore() async throws {
        let records = Self.records(seed: 23)
        let topics = try FoldHarness.makeTopics("restate")
        let first = try await Self.run([records], topics: topics, group: "g-restate")
        let (key, state) = try #require(
            first.states.sorted { $0.key < $1.key }.first { !$0.value.memberships.isEmpty }
        )
        let membership = try #require(state.memberships.first)
        let leadKey = try #require(LeadKey(rawValue: key))
        let target = try #require(
            Self.tenants.rules(for: leadKey.tenant)?.targets(for: membership.virtualEventId)
                .first { $0.destination == .marketo }
        )
        let marketoTopic = try #require(topics.commands[.marketo])
        // What a crashed transaction leaves visible on the mock cluster (on real Kafka: a committed transaction
        // whose checkpoint was lost with the next): a member-status command after the last checkpoint, for a
        // status the lead does not have.
        let crashedStatus: ChannelStatus = membership.status == .blocked ? .invited : .blocked
        let crashed = Command(
            commandId: CommandID.memberStatus(
                destination: .marketo,
                leadKey: leadKey,
                virtualEventId: membership.virtualEventId,
                status: crashedStatus,
                sourceEventId: "crashed"
            ),
            target: target,
            leadKey: leadKey,
            userId: nil,
            profile: nil,
            virtualEventId: membership.virtualEventId,
            occurredAt: membership.occurredAt,
            sourceEventId: "crashed",
            payload: .memberStatus(MemberStatusChange(status: crashedStatus, previousStatus: membership.status))
        )
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try FoldHarness.client()),
            logger: FoldHarness.logger
        )
        let reports = try await producer.send([
            OutgoingRecord(
                topic: marketoTopic,
                partition: Murmur2Partitioner.partition(for: Array(key.utf8), partitionCount: FoldHarness.partitions),
                key: Array(key.utf8),
                value: CommandCodec.encode(crashed),
                headers: [
                    KafkaHeader(key: FoldHeaders.outputId, string: crashed.commandId.rawValue),
                    KafkaHeader(key: FoldHeaders.commandKind, string: CommandKind.memberStatus.rawValue),
                    KafkaHeader(key: FoldHeaders.tenant, string: leadKey.tenant),
                ]
            )
        ])
        let delivered = reports.allSatisfy(\.isDelivered)
        #expect(delivered)

        // The fold restarts with no new input: its restore finds the command and restates the lead's status.
        let slot = "\(key)|\(membership.virtualEventId)"
        let fold = FoldHarness.RunningFold(
            try FoldHarness.configuration(topics: topics, group: "g-restate", tenants: Self.tenants)
        )
        var last: Command?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            last = try await FoldHarness.readAll(marketoTopic).map { try CommandCodec.decode($0.value) }.last {
                "\($0.leadKey.rawValue)|\($0.virtualEventId)" == slot && $0.kind == .memberStatus
            }
            if last?.commandId != crashed.commandId { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await fold.stop()
        let restated = try #require(last)
        #expect(restated.sourceEventId == "restatement:\(crashed.commandId)")
        #expect(
            restated.payload
                == .memberStatus(
                    MemberStatusChange(
                        status: membership.status,
                        previousStatus: crashedStatus,
                        granularStatus: membership.granularStatus,
                        isDerived: membership.isDerived
                    )
                )
        )
        let after = try await Self.read(topics)
        Self.checkOwnPromises(after, "after the restatement")
        #expect(after.commands[.salesforce]?.count == first.commands[.salesforce]?.count, "nothing else written")
        #expect(after.commands[.marketo]?.count == (first.commands[.marketo]?.count ?? 0) + 2)
    }
}
