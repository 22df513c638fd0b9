import Foundation
import Kafka
import LeadModel
import Logging
import Simulation
import Synchronization

@testable import Fold

/// One mock cluster for the fold suites, topics per test, and the means to feed, run and read a fold.
enum FoldHarness {
    private static let cluster = Mutex<MockCluster?>(nil)
    static let partitions = 4

    static var logger: Logger {
        var logger = Logger(label: "fold-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["FOLD_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return logger
    }

    static func shared() throws -> MockCluster {
        try cluster.withLock { cluster in
            if let cluster { return cluster }
            let created = try MockCluster(brokers: 1, logger: logger)
            cluster = created
            return created
        }
    }

    static func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: [try shared().bootstrapServers], clientId: "fold-tests")
    }

    /// Fresh topics under a unique prefix, every one with ``partitions`` partitions.
    static func makeTopics(_ name: String) throws -> FoldConfiguration.Topics {
        let topics = FoldConfiguration.Topics.standard.prefixed("\(name)-\(UUID().uuidString.prefix(6))-")
        try create(topics)
        return topics
    }

    /// Creates the topics of the set, except those named in `existing`.
    static func create(_ topics: FoldConfiguration.Topics, existing: Set<String> = []) throws {
        let cluster = try shared()
        for topic in Set(topics.inputs + [topics.changelog, topics.deadLetter] + topics.commands.values)
        where !existing.contains(topic) {
            try cluster.createTopic(topic, partitions: partitions)
        }
    }

    // MARK: - Tenants

    /// The simulation's tenants, each event mapped to a Marketo program and a Salesforce campaign.
    ///
    /// Participated is off and the settle window is a day unless asked otherwise: then the commands of a stream do
    /// not depend on how the fold interleaves its two input topics, so a reference fold can predict them exactly.
    static func tenants(participated: Bool = false, settleWindowMilliseconds: Int64 = 86_400_000) -> TenantDirectory {
        TenantDirectory(
            SimulatedTenant.developmentDefaults.enumerated().map { tenantIndex, tenant in
                TenantRules(
                    tenant: tenant.id,
                    eventMappings: Dictionary(
                        uniqueKeysWithValues: tenant.virtualEventIds.enumerated().map { index, id in
                            (
                                id,
                                EventMapping(
                                    marketoProgramId: 1000 + tenantIndex * 10 + index,
                                    salesforceCampaignId: "70100000000\(tenantIndex)\(index)AAA"
                                )
                            )
                        }
                    ),
                    participatedRule: participated ? ParticipatedRule() : .disabled,
                    settleWindowMilliseconds: settleWindowMilliseconds
                )
            }
        )
    }

    static func configuration(
        topics: FoldConfiguration.Topics,
        group: String,
        instance: String = "test",
        tenants: TenantDirectory = FoldHarness.tenants(),
        stateDirectory: String? = nil,
        settleCheckInterval: Duration = .seconds(1),
        commitMaxRecords: Int = 2_000,
        maxPollRecords: Int = 5_000
    ) throws -> FoldConfiguration {
        FoldConfiguration(
            client: try client(),
            tenants: tenants,
            groupId: group,
            instanceId: instance,
            topics: topics,
            commitInterval: .milliseconds(100),
            commitMaxRecords: commitMaxRecords,
            stateDirectory: stateDirectory,
            snapshotInterval: .seconds(1),
            settleCheckInterval: settleCheckInterval,
            maxPollRecords: maxPollRecords,
            transactionTimeout: .seconds(10),
            sessionTimeout: .seconds(6)
        )
    }

    // MARK: - Feeding

    /// Produces simulated records to the topics' inputs (the plan's topic names are mapped onto them).
    @discardableResult
    static func produce(
        _ records: [SimulatedRecord],
        to topics: FoldConfiguration.Topics,
        client: KafkaClientConfiguration? = nil
    ) async throws -> [DeliveryReport] {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try client ?? Self.client(), lingerMilliseconds: 2),
            logger: logger
        )
        let outgoing = records.map { record in
            OutgoingRecord(
                topic: record.topic == "engagement.events" ? topics.engagement : topics.attendee,
                key: record.key,
                value: record.value
            )
        }
        let reports = try await producer.send(outgoing)
        guard reports.allSatisfy(\.isDelivered) else { throw HarnessError("a simulated record was not delivered") }
        return reports
    }

    static func plan(leads: Int, events: Int = 8, rates: SimulationRates, seed: UInt64) -> SimulationPlan {
        SimulationPlan(leadCount: leads, eventsPerLead: events, rates: rates, seed: seed, interleavedLeads: 16)
    }

    // MARK: - Running

    /// A fold running in a task of its own.
    final class RunningFold: Sendable {
        let runtime: FoldRuntime
        let task: Task<Void, any Error>

        /// Set when `run()` ended before it was asked to stop.
        let failure = FailureBox()

        init(_ configuration: FoldConfiguration) {
            let runtime = FoldRuntime(configuration: configuration, logger: FoldHarness.logger)
            self.runtime = runtime
            let failure = self.failure
            self.task = Task {
                do {
                    try await runtime.run()
                } catch {
                    failure.set("\(error)")
                    throw error
                }
            }
        }

        /// Stops the fold as a shutdown does: commit, snapshot, leave the group.
        func stop() async throws {
            task.cancel()
            try await task.value
        }

        /// Waits until the fold has folded and committed at least `inputs` input records.
        func waitUntilCommitted(inputs: Int, timeout: Duration = .seconds(90)) async throws {
            try await FoldHarness.waitUntil(timeout: timeout, "\(inputs) inputs folded and committed") {
                if let failure = failure.value { throw HarnessError("the fold failed: \(failure)") }
                let status = runtime.status
                return status.inputRecords >= inputs && status.uncommittedInputRecords == 0
            }
        }
    }

    static func waitUntil(
        timeout: Duration,
        _ what: String,
        _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: - Reading

    /// Every record of a topic, partition by partition, read to the end (read_committed).
    /// - Parameter client: another cluster's client than the suites' shared one.
    static func readAll(_ topic: String, client: KafkaClientConfiguration? = nil) async throws -> [ConsumedRecord] {
        try await TopicReader.readAll(topic, client: try client ?? Self.client(), logger: logger)
    }

    static func commandIds(
        _ topics: FoldConfiguration.Topics,
        client: KafkaClientConfiguration? = nil
    ) async throws -> [String] {
        var ids: [String] = []
        for topic in topics.commands.values.sorted() {
            for record in try await readAll(topic, client: client) {
                ids.append(try CommandCodec.decode(record.value).commandId.rawValue)
            }
        }
        return ids
    }

    /// Lead key -> the committed state, as a restore would rebuild it from the changelog.
    static func committedStates(_ topics: FoldConfiguration.Topics) async throws -> [String: LeadState] {
        var replays = [Int32: ChangelogReplay]()
        for record in try await readAll(topics.changelog) {
            try replays[record.partition, default: ChangelogReplay()].consume(
                key: record.key,
                value: record.value,
                headers: record.headers
            )
        }
        var states: [String: LeadState] = [:]
        for replay in replays.values {
            for (key, bytes) in replay.store.states { states[key] = try LeadStateCodec.decode(bytes) }
        }
        return states
    }

}

final class FailureBox: Sendable {
    private let text = Mutex<String?>(nil)
    var value: String? { text.withLock { $0 } }
    func set(_ value: String) { text.withLock { $0 = value } }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
