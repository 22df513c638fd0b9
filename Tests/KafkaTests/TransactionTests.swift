import Kafka
import Testing

@Suite("Transactions over the mock cluster")
struct TransactionTests {
    private func transactionalProducer(_ cluster: MockCluster) throws -> TransactionalProducer {
        try TransactionalProducer(
            configuration: KafkaProducerConfiguration(client: TestCluster.client(cluster), lingerMilliseconds: 1),
            transactionalId: TestCluster.uniqueName("txn"),
            logger: TestCluster.logger
        )
    }

    @Test("committed records are all visible to read_committed; aborted ones are not on a real broker")
    func commitAndAbort() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("txn-visibility")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try transactionalProducer(cluster)
        try await producer.initTransactions()

        try producer.beginTransaction()
        for index in 0..<10 {
            try await producer.send(
                OutgoingRecord(topic: topic, key: bytes("k\(index)"), value: bytes("committed-\(index)"))
            )
        }
        try await producer.commitTransaction()

        try producer.beginTransaction()
        for index in 0..<10 {
            try await producer.send(
                OutgoingRecord(topic: topic, key: bytes("k\(index)"), value: bytes("aborted-\(index)"))
            )
        }
        try await producer.abortTransaction()

        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: topic, key: bytes("last"), value: bytes("committed-last")))
        try await producer.commitTransaction()

        let reader = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try reader.subscribe([topic])
        let visible = try await reader.records(count: 11)
        let more = try await reader.drain(for: .milliseconds(500))
        let values = (visible + more).compactMap { text($0.value) }
        #expect(values.filter { $0.hasPrefix("committed-") }.count == 11)
        // librdkafka 2.0.2's mock cluster writes no abort markers: aborted records that reached it before the
        // abort are visible (a real broker hides them). Which ones did depends on timing.
        withKnownIssue("the mock cluster does not hide aborted records", isIntermittent: true) {
            #expect(values.allSatisfy { $0.hasPrefix("committed-") })
        }
        try await reader.close()
    }

    @Test("offsets sent in a transaction are accepted on commit, and an abort keeps the old ones")
    func offsetsInTransaction() async throws {
        let cluster = try TestCluster.shared()
        let input = TestCluster.uniqueName("txn-in")
        let output = TestCluster.uniqueName("txn-out")
        try cluster.createTopic(input, partitions: 1)
        try cluster.createTopic(output, partitions: 1)
        let seed = try TestCluster.producer(cluster)
        _ = try await seed.send((0..<10).map { OutgoingRecord(topic: input, key: nil, value: bytes("\($0)")) })

        let group = TestCluster.uniqueName("pipe")
        let partition = TopicPartition(topic: input, partition: 0)
        let consumer = try TestCluster.consumer(cluster, group: group)
        try consumer.subscribe([input])
        let records = try await consumer.records(count: 10)
        #expect(records.count == 10)
        let producer = try transactionalProducer(cluster)
        try await producer.initTransactions()

        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: output, key: nil, value: bytes("x")))
        try await producer.sendOffsets(
            [TopicPartitionOffset(topicPartition: partition, offset: 5)],
            groupMetadata: try consumer.groupMetadata()
        )
        try await producer.abortTransaction()
        #expect(try await consumer.committed([partition])[partition] == nil)

        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: output, key: nil, value: bytes("y")))
        try await producer.sendOffsets(
            [TopicPartitionOffset(topicPartition: partition, offset: 10)],
            groupMetadata: try consumer.groupMetadata()
        )
        try await producer.commitTransaction()
        let committed = try await consumer.committed([partition])[partition]
        withKnownIssue("librdkafka 2.0.2's mock cluster acknowledges TxnOffsetCommit without storing the offsets") {
            #expect(committed == 10)
        }
        try await consumer.close()
    }

    @Test("a retriable coordinator error during commit is retried by librdkafka and the commit succeeds")
    func coordinatorErrorsDuringCommit() async throws {
        // A cluster of its own: injected errors are cluster-wide and would hit the other tests.
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("txn-faults")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try transactionalProducer(cluster)
        try await producer.initTransactions()
        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("survives")))
        cluster.pushRequestErrors(.endTxn, [.notCoordinator, .concurrentTransactions, .coordinatorNotAvailable])
        try await producer.commitTransaction()
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let records = try await consumer.records(count: 1)
        #expect(records.map { text($0.value) } == ["survives"])
        try await consumer.close()
    }

    @Test("a fenced producer gets a fatal error; an abortable error lets the next transaction succeed")
    func errorClasses() async throws {
        // A cluster of its own: injected errors are cluster-wide and would hit the other tests.
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("txn-classes")
        try cluster.createTopic(topic, partitions: 1)

        let producer = try transactionalProducer(cluster)
        try await producer.initTransactions()
        try producer.beginTransaction()
        cluster.pushRequestErrors(.addPartitionsToTxn, [.topicAuthorizationFailed])
        try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("doomed")))
        let abortable = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(abortable?.requiresAbort == true)
        #expect(abortable?.isFatal == false)
        try await producer.abortTransaction()
        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("after-abort")))
        try await producer.commitTransaction()

        let zombie = try transactionalProducer(cluster)
        try await zombie.initTransactions()
        try zombie.beginTransaction()
        try await zombie.send(OutgoingRecord(topic: topic, key: nil, value: bytes("zombie")))
        cluster.pushRequestErrors(.endTxn, [.producerFenced])
        let fatal = await #expect(throws: KafkaError.self) { try await zombie.commitTransaction() }
        #expect(fatal?.isFatal == true)
        // A fatal producer refuses further work with the original cause.
        #expect(throws: KafkaError.self) { try zombie.beginTransaction() }

        let reader = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try reader.subscribe([topic])
        let values = (try await reader.records(count: 1)).compactMap { text($0.value) }
        #expect(values.first == "after-abort")
        try await reader.close()
    }

    @Test("awaitDeliveries returns once every record of the transaction is on the broker; a failed one is abortable")
    func awaitDeliveries() async throws {
        // A cluster of its own: the round-trip delay and injected errors are cluster-wide.
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("txn-deliveries")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try transactionalProducer(cluster)
        try await producer.initTransactions()

        try cluster.setRoundTripTime(broker: 1, .milliseconds(300))
        try producer.beginTransaction()
        for index in 0..<20 {
            try await producer.send(OutgoingRecord(topic: topic, partition: 0, key: nil, value: bytes("r\(index)")))
        }
        try await producer.awaitDeliveries()
        // Every record sent so far has its delivery report: none is still in flight.
        #expect(producer.deliveredEndOffsets()[TopicPartition(topic: topic, partition: 0)] == 20)
        try await producer.commitTransaction()
        try cluster.setRoundTripTime(broker: 1, .zero)

        try producer.beginTransaction()
        cluster.pushRequestErrors(.produce, [.topicAuthorizationFailed])
        try await producer.send(OutgoingRecord(topic: topic, partition: 0, key: nil, value: bytes("refused")))
        let failed = await #expect(throws: KafkaError.self) { try await producer.awaitDeliveries() }
        #expect(failed?.requiresAbort == true)
        #expect(failed?.code == .topicAuthorizationFailed)
        try await producer.abortTransaction()

        // The next transaction starts clean: the earlier failure is not counted again. (Another topic: librdkafka
        // keeps refusing a topic whose produce was refused for authorization.)
        let other = TestCluster.uniqueName("txn-deliveries-after")
        try cluster.createTopic(other, partitions: 1)
        try producer.beginTransaction()
        try await producer.send(OutgoingRecord(topic: other, partition: 0, key: nil, value: bytes("after")))
        try await producer.awaitDeliveries()
        try await producer.commitTransaction()
    }
}
