import Config
import Kafka
import Logging
import Testing

@Suite("The Kafka settings drive a real client")
struct KafkaClientConfigurationTests {
    private static var logger: Logger {
        var logger = Logger(label: "config-tests")
        logger.logLevel = .critical
        return logger
    }

    @Test("Bootstrap servers from the environment and pass-through properties reach librdkafka")
    func producesThroughTheMockCluster() async throws {
        let cluster = try MockCluster(brokers: 1, logger: Self.logger)
        try cluster.createTopic("config-tests", partitions: 1)
        let document = TestSupport.minimal(
            top: "kafka: { clientId: config-tests, properties: { socket.keepalive.enable: \"true\" } }"
        )
        let config = try TestSupport.parse(
            document,
            environment: [
                "LEADSYNC_KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
                "LEADSYNC_KAFKA_PROPERTY_RECONNECT_BACKOFF_MS": "50",
            ]
        ).get()
        let settings = try #require(config.kafka.cluster)
        #expect(settings.properties == ["socket.keepalive.enable": "true", "reconnect.backoff.ms": "50"])
        let client = try settings.clientConfiguration()
        #expect(client.clientId == "config-tests")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: Self.logger)
        let report = try await producer.send(
            OutgoingRecord(topic: "config-tests", key: Array("acme/jane@example.com".utf8), value: Array("{}".utf8))
        )
        #expect(report.isDelivered)
        #expect(report.offset == 0)
    }

    @Test("A misspelt pass-through property is refused by librdkafka with its name")
    func misspeltPropertyIsRefused() throws {
        let config = try TestSupport.parse(
            TestSupport.minimal(
                top: "kafka: { bootstrapServers: 127.0.0.1:9, properties: { socket.keepalive.enabel: \"true\" } }"
            )
        ).get()
        let client = try #require(try config.kafka.cluster?.clientConfiguration())
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: Self.logger)
        }
        #expect(error.map { "\($0)" }?.contains("socket.keepalive.enabel") == true)
    }
}
