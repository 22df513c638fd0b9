import Delivery
import Foundation
import Kafka
import LeadModel
import Logging
import Synchronization

/// One mock cluster for the delivery suites, topics per test, commands to feed and the means to read results.
enum DeliveryHarness {
    private static let cluster = Mutex<MockCluster?>(nil)
    static let partitions = 3

    static var logger: Logger {
        var logger = Logger(label: "delivery-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["DELIVERY_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) }
            ?? .critical
        return logger
    }

    static func client() throws -> KafkaClientConfiguration {
        let bootstrap = try cluster.withLock { cluster in
            if let cluster { return cluster.bootstrapServers }
            let created = try MockCluster(brokers: 1, logger: logger)
            cluster = created
            return created.bootstrapServers
        }
        return KafkaClientConfiguration(bootstrapServers: [bootstrap], clientId: "delivery-tests")
    }

    static func makeTopics(_ name: String) throws -> DeliveryConfiguration.Topics {
        let topics = DeliveryConfiguration.Topics.standard(
            for: .salesforce,
            prefix: "\(name)-\(UUID().uuidString.prefix(6))-"
        )
        _ = try client()
        try cluster.withLock { cluster in
            for topic in topics.all {
                try cluster?.createTopic(topic, partitions: partitions)
            }
        }
        return topics
    }

    static func configuration(
        _ topics: DeliveryConfiguration.Topics,
        group: String = "writer-\(UUID().uuidString.prefix(6))",
        retry: RetrySchedule = RetrySchedule(
            maxAttempts: 4,
            initialBackoff: .milliseconds(200),
            maxBackoff: .seconds(1)
        ),
        maxBatchCommands: Int = 50
    ) throws -> DeliveryConfiguration {
        DeliveryConfiguration(
            client: try client(),
            groupId: group,
            instanceId: "test",
            topics: topics,
            linger: .milliseconds(50),
            maxBatchCommands: maxBatchCommands,
            bulkThreshold: 10_000,
            retry: retry,
            commitInterval: .milliseconds(100),
            sessionTimeout: .seconds(6)
        )
    }

    // MARK: Commands

    /// A member status command of `tenant`'s lead `email` for campaign `campaign`.
    static func status(
        _ status: ChannelStatus,
        tenant: String,
        email: String,
        campaign: String = "701000000000001AAA",
        event: String = "e-\(UUID().uuidString.prefix(8))"
    ) -> Command {
        let leadKey = LeadKey(tenant: tenant, email: email)!
        return Command(
            commandId: CommandID.memberStatus(
                destination: .salesforce,
                leadKey: leadKey,
                virtualEventId: "summit",
                status: status,
                sourceEventId: event
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: leadKey,
            userId: nil,
            profile: nil,
            virtualEventId: "summit",
            occurredAt: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000),
            sourceEventId: event,
            payload: .memberStatus(MemberStatusChange(status: status))
        )
    }

    /// Produces commands to the command topic, keyed by lead key, in order.
    static func produce(_ commands: [Command], to topic: String) async throws {
        try await produce(
            commands.map {
                OutgoingRecord(topic: topic, key: Array($0.leadKey.rawValue.utf8), value: CommandCodec.encode($0))
            }
        )
    }

    static func produce(_ records: [OutgoingRecord]) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try client(), lingerMilliseconds: 1),
            logger: logger
        )
        let reports = try await producer.send(records)
        guard reports.allSatisfy(\.isDelivered) else { throw HarnessError("a command record was not delivered") }
    }

    // MARK: Running

    final class RunningWriter: Sendable {
        let runtime: DeliveryRuntime
        let task: Task<Void, any Error>

        init(_ configuration: DeliveryConfiguration, sink: some DeliverySink) {
            let runtime = DeliveryRuntime(configuration: configuration, sink: sink, logger: DeliveryHarness.logger)
            self.runtime = runtime
            self.task = Task { try await runtime.run() }
        }

        func stop() async throws {
            task.cancel()
            try await task.value
        }
    }

    static func waitUntil(
        timeout: Duration = .seconds(60),
        _ what: String,
        _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Reading

    static func readAll(_ topic: String) async throws -> [ConsumedRecord] {
        try await TopicReader.readAll(topic, client: try client(), logger: logger)
    }

    /// The group's committed offsets summed over the topic's partitions, and the topic's end offsets summed.
    static func committedAndEnd(group: String, topic: String) async throws -> (committed: Int64, end: Int64) {
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: try client(), groupId: group),
            logger: logger
        )
        let partitions = (0..<Int32(Self.partitions)).map { TopicPartition(topic: topic, partition: $0) }
        let committed = try await reader.committed(partitions)
        var end: Int64 = 0
        for partition in partitions { end += try await reader.watermarks(partition).high }
        return (committed.values.reduce(0) { $0 + max($1, 0) }, end)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
