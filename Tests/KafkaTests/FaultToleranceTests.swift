import Kafka
import Testing

@Suite("Broker faults and bad configuration")
struct FaultToleranceTests {
    @Test("an idempotent producer delivers every record exactly once across a broker outage")
    func brokerDownThenUp() async throws {
        // A cluster of its own: taking brokers down must not disturb the other suites.
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("outage")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try TestCluster.producer(cluster)
        _ = try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("warm-up")))

        async let delivered = producer.send(
            (0..<2_000).map { OutgoingRecord(topic: topic, key: bytes("\($0)"), value: bytes("\($0)")) }
        )
        try cluster.setBrokerDown(1)
        try await Task.sleep(for: .milliseconds(1_500))
        try cluster.setBrokerUp(1)
        let reports = try await delivered
        #expect(reports.allSatisfy { $0.isDelivered })

        // Produce requests that fail after being written are retried without duplicates.
        cluster.pushRequestErrors(.produce, [.requestTimedOut, .notEnoughReplicas, .requestTimedOut])
        let more = try await producer.send(
            (2_000..<2_100).map { OutgoingRecord(topic: topic, key: bytes("\($0)"), value: bytes("\($0)")) }
        )
        #expect(more.allSatisfy { $0.isDelivered })

        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let records = try await consumer.records(count: 2_101)
        let extra = try await consumer.drain(for: .milliseconds(500))
        let values = (records + extra).compactMap { text($0.value) }.filter { $0 != "warm-up" }
        #expect(values.count == 2_100)
        #expect(Set(values) == Set((0..<2_100).map(String.init)))
        try await consumer.close()
    }

    @Test("an invalid librdkafka property is named in the error")
    func invalidProperty() throws {
        let configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(
                bootstrapServers: ["127.0.0.1:1"],
                additionalProperties: ["linger.mss": "5"]
            )
        )
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(configuration: configuration, logger: TestCluster.logger)
        }
        #expect(error?.reason.contains("'linger.mss'") == true)
        #expect(error?.reason.contains("No such configuration property") == true)

        let badValue = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(
                bootstrapServers: ["127.0.0.1:1"],
                additionalProperties: ["session.timeout.ms": "soon"]
            ),
            groupId: "g"
        )
        let valueError = #expect(throws: KafkaError.self) {
            try KafkaConsumer(configuration: badValue, logger: TestCluster.logger)
        }
        #expect(valueError?.reason.contains("'session.timeout.ms'") == true)
    }

    @Test("unreachable bootstrap servers fail within the timeout with their address in the error")
    func unreachableCluster() async throws {
        let admin = try KafkaAdmin(
            configuration: KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"]),
            logger: TestCluster.logger
        )
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: KafkaError.self) { try await admin.describeTopics(timeout: .seconds(2)) }
        #expect(error?.reason.contains("127.0.0.1:1") == true)
        #expect(clock.now - started < .seconds(10))
    }

    @Test("the mock cluster answers metadata but not CreateTopics")
    func adminAgainstMock() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("admin")
        try cluster.createTopic(topic, partitions: 5)
        let admin = try KafkaAdmin(configuration: TestCluster.client(cluster), logger: TestCluster.logger)
        let described = try await admin.describeTopics([topic])
        #expect(described.map(\.name) == [topic])
        #expect(described.first?.partitionCount == 5)
        await #expect(throws: KafkaError.self) {
            _ = try await admin.createTopics(
                [TopicSpecification(name: TestCluster.uniqueName("x"), partitions: 1, replicationFactor: 1)],
                timeout: .seconds(5)
            )
        }
    }
}
