import Foundation
import Kafka
import Logging
import Synchronization

/// One mock cluster shared by every Kafka test (three brokers, so broker faults leave the cluster usable).
enum TestCluster {
    private static let cluster = Mutex<MockCluster?>(nil)

    static var logger: Logger {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return logger
    }

    static func shared() throws -> MockCluster {
        try cluster.withLock { cluster in
            if let cluster { return cluster }
            let created = try MockCluster(brokers: 3, logger: logger)
            cluster = created
            return created
        }
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func client(_ cluster: MockCluster) -> KafkaClientConfiguration {
        let debug = ProcessInfo.processInfo.environment["KAFKA_TEST_DEBUG"].map { ["debug": $0] } ?? [:]
        return KafkaClientConfiguration(
            bootstrapServers: [cluster.bootstrapServers],
            clientId: "kafka-tests",
            additionalProperties: debug
        )
    }

    static func producer(_ cluster: MockCluster, idempotent: Bool = true) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: client(cluster),
                idempotent: idempotent,
                lingerMilliseconds: 1
            ),
            logger: logger
        )
    }

    static func consumer(
        _ cluster: MockCluster,
        group: String,
        isolation: KafkaConsumerConfiguration.IsolationLevel = .readCommitted,
        strategy: KafkaConsumerConfiguration.AssignmentStrategy = .cooperativeSticky,
        onRebalance: (@Sendable (RebalanceEvent) -> Void)? = nil
    ) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client(cluster),
                groupId: group,
                assignmentStrategy: strategy,
                isolationLevel: isolation,
                sessionTimeoutMilliseconds: 6_000
            ),
            logger: logger,
            onRebalance: onRebalance
        )
    }
}

extension KafkaConsumer {
    /// Polls until `count` records arrived or `deadline` passed; returns what arrived.
    func records(count: Int, within deadline: Duration = .seconds(30)) async throws -> [ConsumedRecord] {
        var records: [ConsumedRecord] = []
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while records.count < count, clock.now < end {
            let batch = try await poll(maxRecords: 1_000, timeout: .milliseconds(100))
            records += batch.partitions.flatMap(\.records)
        }
        return records
    }

    /// Polls for `duration`, returning everything that arrived (to show that nothing more comes).
    func drain(for duration: Duration) async throws -> [ConsumedRecord] {
        var records: [ConsumedRecord] = []
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end {
            records += try await poll(maxRecords: 1_000, timeout: .milliseconds(100)).partitions.flatMap(\.records)
        }
        return records
    }
}

/// Rebalance events in the order the hook saw them.
final class RebalanceLog: Sendable {
    private let events = Mutex<[RebalanceEvent]>([])

    func record(_ event: RebalanceEvent) {
        events.withLock { $0.append(event) }
    }

    var all: [RebalanceEvent] { events.withLock { $0 } }

    var assigned: Set<TopicPartition> {
        var owned: Set<TopicPartition> = []
        for event in all {
            switch event {
            case .assigned(let partitions): owned.formUnion(partitions)
            case .revoked(let partitions), .lost(let partitions): owned.subtract(partitions)
            }
        }
        return owned
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

/// A value set once after creation and read from callbacks.
final class LockedBox<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    var value: Value? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
