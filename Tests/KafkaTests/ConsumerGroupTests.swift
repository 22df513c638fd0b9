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
        /// The revoke hook's commits that were refused, with their errors (the duplicates' likely cause).
        let refusedCommits = Mutex<[String]>([])
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
                do {
                    try consumer.commitNow(due.map { TopicPartitionOffset(topicPartition: $0.key, offset: $0.value) })
                    for partition in due.keys { pending[partition] = nil }
                } catch {
                    // Refused: the records will be handed out again, which the test reports as duplicates.
                    refusedCommits.withLock { $0.append("\(name): \(error)") }
                }
            }
        }

        var count: Int { received.withLock { $0.count } }
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
        while first.count + second.count < 1200, clock.now < end {
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
        while first.count + second.count < 1500, clock.now < end { try await second.pollOnce() }
        #expect(second.log.assigned == Set(partitions))

        let all = first.received.withLock { $0 } + second.received.withLock { $0 }
        let values = all.compactMap { text($0.value) }
        let refused = first.refusedCommits.withLock { $0 } + second.refusedCommits.withLock { $0 }
        #expect(values.count == 1500, "refused commits in the revoke hook: \(refused)")
        #expect(Set(values).count == 1500)
        try await second.consumer.close()
    }
}
