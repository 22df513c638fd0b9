import Kafka
import Synchronization
import Testing

@Suite("Consumer groups over the mock cluster")
struct ConsumerGroupTests {
    /// A group member that records what it received and commits the partitions being revoked in the rebalance
    /// hook, before they move. (Committing on every poll would race the rebalance: a commit with a stale
    /// generation makes librdkafka rejoin, and the group never settles.)
    final class Member: Sendable {
        let name: String
        let log = RebalanceLog()
        let received = Mutex<[ConsumedRecord]>([])
        let pending = Mutex<[TopicPartition: Int64]>([:])
        /// The revoke hook's commits that were refused: the partitions and the error (the only allowed cause of a
        /// record handed to both members).
        let refusedCommits = Mutex<[RefusedCommit]>([])
        private let consumerBox = LockedBox<KafkaConsumer>()

        init(name: String, cluster: MockCluster, group: String, topic: String) throws {
            self.name = name
            let log = self.log
            let box = self.consumerBox
            let pendingBox = UncheckedMember(member: nil)
            let consumer = try TestCluster.consumer(cluster, group: group) { event in
                log.record(event)
                if case .revoked(let partitions) = event, let consumer = box.value, let member = pendingBox.member {
                    member.commitPending(consumer, only: Set(partitions))
                }
            }
            consumerBox.value = consumer
            pendingBox.member = self
            try consumer.subscribe([topic])
        }

        var consumer: KafkaConsumer {
            get throws { try #require(consumerBox.value) }
        }

        func pollOnce() async throws {
            let consumer = try self.consumer
            let batch = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(50))
            received.withLock { $0 += batch.partitions.flatMap(\.records) }
            pending.withLock { pending in
                for partition in batch.partitions {
                    if let next = partition.nextOffset { pending[partition.topicPartition] = next }
                }
            }
        }

        func commitPending(_ consumer: KafkaConsumer, only partitions: Set<TopicPartition>?) {
            pending.withLock { pending in
                let due = pending.filter { partitions?.contains($0.key) ?? true }
                guard !due.isEmpty else { return }
                do throws(KafkaError) {
                    try consumer.commitNow(due.map { TopicPartitionOffset(topicPartition: $0.key, offset: $0.value) })
                    for partition in due.keys { pending[partition] = nil }
                } catch {
                    // Refused: the records will be handed out again; the test accounts for them by partition.
                    refusedCommits.withLock {
                        $0.append(RefusedCommit(member: name, partitions: Set(due.keys), error: error))
                    }
                }
            }
        }

        var count: Int { received.withLock { $0.count } }
    }

    struct RefusedCommit: CustomStringConvertible {
        let member: String
        let partitions: Set<TopicPartition>
        let error: KafkaError
        var description: String { "\(member) \(partitions.map(\.partition).sorted()): \(error)" }
    }

    /// Records the members received, a record handed to both counted once (the waits must not end early on copies).
    static func distinctRecords(_ members: Member...) -> Int {
        Set(members.flatMap { $0.received.withLock { $0 }.compactMap { text($0.value) } }).count
    }

    /// Lets the rebalance hook reach its member, which is created after the consumer.
    final class UncheckedMember: @unchecked Sendable {
        weak var member: Member?
        init(member: Member?) { self.member = member }
    }

    @Test("partitions move between members, hooks run in order, and no record is handed to both")
    func twoMembers() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("group")
        let partitions = (0..<6).map { TopicPartition(topic: topic, partition: Int32($0)) }
        try cluster.createTopic(topic, partitions: 6)
        let group = TestCluster.uniqueName("g")
        let producer = try TestCluster.producer(cluster)
        func produce(_ range: Range<Int>) async throws {
            _ = try await producer.send(
                range.map { OutgoingRecord(topic: topic, partition: Int32($0 % 6), key: nil, value: bytes("\($0)")) }
            )
        }
        try await produce(0..<600)

        let first = try Member(name: "a", cluster: cluster, group: group, topic: topic)
        let clock = ContinuousClock()
        var end = clock.now + .seconds(30)
        while first.count < 300, clock.now < end { try await first.pollOnce() }
        #expect(first.log.all.first == .assigned(partitions))

        let second = try Member(name: "b", cluster: cluster, group: group, topic: topic)
        end = clock.now + .seconds(60)
        while second.log.assigned.isEmpty, clock.now < end {
            async let a: Void = first.pollOnce()
            async let b: Void = second.pollOnce()
            _ = try await (a, b)
        }
        try await produce(600..<1200)
        end = clock.now + .seconds(60)
        while Self.distinctRecords(first, second) < 1200, clock.now < end {
            async let a: Void = first.pollOnce()
            async let b: Void = second.pollOnce()
            _ = try await (a, b)
        }
        // Cooperative rebalancing: the first member gave up some partitions and the second got exactly those.
        let firstOwned = first.log.assigned
        let secondOwned = second.log.assigned
        #expect(!firstOwned.isEmpty && !secondOwned.isEmpty)
        #expect(firstOwned.isDisjoint(with: secondOwned))
        #expect(firstOwned.union(secondOwned) == Set(partitions))
        let revoked = first.log.all.compactMap { event -> [TopicPartition]? in
            if case .revoked(let moved) = event { return moved } else { return nil }
        }
        #expect(Set(revoked.flatMap { $0 }) == secondOwned)

        // The first member leaves: its partitions move to the second, which then receives everything new.
        try await first.consumer.close()
        #expect(first.log.assigned.isEmpty)
        try await produce(1200..<1500)
        end = clock.now + .seconds(60)
        while Self.distinctRecords(first, second) < 1500, clock.now < end { try await second.pollOnce() }
        #expect(second.log.assigned == Set(partitions))

        let all = first.received.withLock { $0 } + second.received.withLock { $0 }
        let refused = first.refusedCommits.withLock { $0 } + second.refusedCommits.withLock { $0 }
        let diagnosis = "refused revoke-hook commits: \(refused); rebalances a: \(first.log.all), b: \(second.log.all)"
        #expect(Set(all.compactMap { text($0.value) }).count == 1500, "\(diagnosis)")
        // A record handed out twice is allowed only where the revoke hook's commit of its partition was refused.
        var seen: Set<String> = []
        let duplicated = all.filter { !seen.insert(text($0.value) ?? "").inserted }
        let refusedPartitions = Set(refused.flatMap(\.partitions))
        #expect(duplicated.allSatisfy { refusedPartitions.contains($0.topicPartition) }, "\(diagnosis)")
        // librdkafka 2.0.2's mock coordinator answers REBALANCE_IN_PROGRESS to every OffsetCommit while it waits for
        // members to rejoin (its Joining state, up to session.timeout.ms - 1 s); a broker accepts a commit from the
        // current generation then (PreparingRebalance), which is what the revoke hook relies on.
        let mockRefusal = !refused.isEmpty && refused.allSatisfy { $0.error.code.name == "REBALANCE_IN_PROGRESS" }
        withKnownIssue("the mock coordinator refuses commits while members rejoin", isIntermittent: true) {
            #expect(duplicated.isEmpty, "\(duplicated.count) records handed to both; \(diagnosis)")
        } when: {
            mockRefusal
        }
        try await second.consumer.close()
    }
}
