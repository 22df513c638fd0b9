import Config
import Delivery
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import MarketoWriter
import SalesforceWriter
import SandboxMarketo
import SandboxSalesforce
import Simulation
import Testing

/// The whole pipeline over real sockets: simulated events on the mock cluster, the fold, both writers, and both
/// CRM sandboxes over HTTP, with a fault storm on each CRM.
@Suite("Pipeline: events to CRM records through the fold and both writers", .serialized)
struct PipelineTests {
    static let logger: Logger = {
        var logger = Logger(label: "pipeline-tests")
        logger.logLevel =
            ProcessInfo.processInfo.environment["PIPELINE_TEST_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return logger
    }()

    @Test(
        "20% fault storm at both CRMs, writers stopped mid-run: every lead at its fold status once, no dead letters"
    )
    func faultStorm() async throws {
        let cluster = try MockCluster(brokers: 1, logger: Self.logger)
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "pipeline-tests")
        let foldTopics = FoldConfiguration.Topics.standard
        for topic in foldTopics.inputs + [foldTopics.changelog, foldTopics.deadLetter] {
            try cluster.createTopic(topic, partitions: 4)
        }
        for destination in [Destination.marketo, .salesforce] {
            let topics = DeliveryConfiguration.Topics.standard(for: destination)
            for topic in topics.all { try cluster.createTopic(topic, partitions: 4) }
        }

        let crm = try await CRMSandboxes.start()
        defer { crm.stop() }
        let tenants = crm.tenants()
        crm.injectFaultStorm()

        // The input: 150 leads with out-of-order and duplicate events and a little poison.
        let plan = SimulationPlan(
            leadCount: 150,
            eventsPerLead: 8,
            rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.05, poison: 0.01),
            seed: 42,
            interleavedLeads: 16
        )
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 2),
            logger: Self.logger
        )
        let records = Array(plan.records())
        let reports = try await producer.send(
            records.map { OutgoingRecord(topic: $0.topic, key: $0.key, value: $0.value) }
        )
        #expect(reports.allSatisfy { $0.isDelivered })

        let fold = FoldRuntime(
            configuration: FoldConfiguration(
                client: client,
                tenants: TenantDirectory(tenants.map(\.rules)),
                instanceId: "pipeline",
                sessionTimeout: .seconds(6)
            ),
            logger: Self.logger
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var marketoSettings = WriterSettings.defaults(for: .marketo)
        marketoSettings.linger = .milliseconds(100)
        var salesforceSettings = WriterSettings.defaults(for: .salesforce)
        salesforceSettings.linger = .milliseconds(100)
        let retry = RetrySchedule(maxAttempts: 12, initialBackoff: .milliseconds(200), maxBackoff: .seconds(2))
        // Writers are made twice: the first ones stop mid-run as on SIGTERM (finish the calls in flight, commit,
        // leave), and new ones on the same state directories take over.
        func makeWriters() throws -> [DeliveryRuntime] {
            [
                DeliveryRuntime(
                    configuration: DeliveryConfiguration(
                        client: client,
                        groupId: "writer-marketo",
                        instanceId: "pipeline",
                        topics: .standard(for: .marketo),
                        linger: .milliseconds(100),
                        retry: retry,
                        sessionTimeout: .seconds(6)
                    ),
                    sink: try MarketoSink(
                        tenants: tenants,
                        settings: marketoSettings,
                        cacheDirectory: directory.appendingPathComponent("marketo"),
                        logger: Self.logger,
                        options: MarketoSinkOptions(requestTimeout: .seconds(10), bulkPollInterval: .milliseconds(100))
                    ),
                    logger: Self.logger
                ),
                DeliveryRuntime(
                    configuration: DeliveryConfiguration(
                        client: client,
                        groupId: "writer-salesforce",
                        instanceId: "pipeline",
                        topics: .standard(for: .salesforce),
                        linger: .milliseconds(100),
                        retry: retry,
                        sessionTimeout: .seconds(6)
                    ),
                    sink: try SalesforceSink(
                        tenants: tenants,
                        settings: salesforceSettings,
                        cacheDirectory: directory.appendingPathComponent("salesforce"),
                        logger: Self.logger
                    ),
                    logger: Self.logger
                ),
            ]
        }
        let foldTask = Task { try await fold.run() }
        let firstWriters = try makeWriters()
        let firstTasks = firstWriters.map { writer in Task { try await writer.run() } }
        try await Self.waitUntil("the first writers delivered something") {
            firstWriters.allSatisfy { $0.status.delivered > 0 }
        }
        for task in firstTasks { task.cancel() }
        for task in firstTasks { try await task.value }
        let stoppedAfter = firstWriters.map { $0.status.delivered }
        let writers = try makeWriters()
        let writerTasks = writers.map { writer in Task { try await writer.run() } }

        // Done when the fold has committed every input, and each writer group has committed the ends of its
        // command and retry topics with nothing unfinished or waiting.
        let deadline = ContinuousClock.now + .seconds(240)
        while true {
            let foldStatus = fold.status
            if foldStatus.inputRecords >= records.count && foldStatus.uncommittedInputRecords == 0 {
                var finished = true
                for (destination, writer) in zip([Destination.marketo, .salesforce], writers) {
                    let status = writer.status
                    let topics = DeliveryConfiguration.Topics.standard(for: destination)
                    let group = "writer-\(destination.rawValue)"
                    let caughtUp = try await Self.isCommittedToEnd(
                        group: group,
                        topics: [topics.commands, topics.retry],
                        client: client
                    )
                    finished = finished && caughtUp && status.unfinished == 0 && status.delayed == 0
                }
                if finished { break }
            }
            guard ContinuousClock.now < deadline else {
                Issue.record(
                    "timed out: fold \(fold.status), marketo \(writers[0].status), salesforce \(writers[1].status)"
                )
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        foldTask.cancel()
        for task in writerTasks { task.cancel() }
        try await foldTask.value
        for task in writerTasks { try await task.value }

        // What the CRMs hold is what the commands say, lead by lead.
        let commands = try await Self.readCommands(client: client)
        #expect(!commands.isEmpty)
        let expectations = CRMExpectations(commands)
        #expect(expectations.marketoStatuses.count > 100)
        #expect(expectations.salesforceStatuses.count > 50)
        crm.verify(expectations)
        for destination in [Destination.marketo, .salesforce] {
            let letters = try await Self.readAll(
                DeliveryConfiguration.Topics.standard(for: destination).deadLetter,
                client: client
            )
            let reasons = Set(letters.map { Self.reason($0) })
            #expect(letters.count == 0, "\(destination) dead letters: \(reasons.sorted().prefix(5))")
        }
        let retried = zip(firstWriters, writers).map { $0.status.retried + $1.status.retried }
        #expect(retried.allSatisfy { $0 > 0 }, "the storm caused retries through the retry topic: \(retried)")
        // The stop came mid-run: the first writers had delivered, and work was left for the second ones (a writer
        // whose first batches took everything leaves its successor nothing, so at least one of the two).
        #expect(
            stoppedAfter.allSatisfy { $0 > 0 } && writers.contains { $0.status.delivered > 0 },
            "deliveries by the first writers \(stoppedAfter), then by the second \(writers.map(\.status.delivered))"
        )
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw PipelineTestError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Reading

    /// Whether the group's committed offsets are the end offsets of every partition of these topics.
    static func isCommittedToEnd(group: String, topics: [String], client: KafkaClientConfiguration) async throws -> Bool
    {
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupId: group),
            logger: logger
        )
        let partitions = topics.flatMap { topic in (0..<Int32(4)).map { TopicPartition(topic: topic, partition: $0) } }
        let committed = try await reader.committed(partitions)
        for partition in partitions {
            let high = try await reader.watermarks(partition).high
            if high > 0 && (committed[partition] ?? -1) < high { return false }
        }
        return true
    }

    static func readAll(_ topic: String, client: KafkaClientConfiguration) async throws -> [ConsumedRecord] {
        try await TopicReader.readAll(topic, client: client, logger: logger)
    }

    /// Commands of both topics in topic order (a lead's commands are on one partition, in fold order).
    static func readCommands(client: KafkaClientConfiguration) async throws -> [Command] {
        var commands: [Command] = []
        for destination in [Destination.marketo, .salesforce] {
            for record in try await readAll(
                DeliveryConfiguration.Topics.standard(for: destination).commands,
                client: client
            ) {
                commands.append(try CommandCodec.decode(record.value))
            }
        }
        return commands
    }

    static func reason(_ record: ConsumedRecord) -> String {
        ["leadsync.error.code", "leadsync.error.message"].compactMap { record.headers.string(for: $0) }
            .joined(separator: ": ")
    }
}

/// What each CRM must hold after the commands: per (lead, target) the last status; per engagement key one record.
struct CRMExpectations {
    /// (email, program id) -> status name.
    var marketoStatuses: [String: String] = [:]
    /// (email, campaign id) -> status name.
    var salesforceStatuses: [String: String] = [:]
    /// Distinct (email, program, entry) engagement upserts for Marketo, and (email, campaign, entry) for Salesforce.
    var marketoEngagements: Set<String> = []
    var salesforceEngagements: Set<String> = []
    /// Distinct (email, entry) activities for Marketo.
    var marketoActivities: Set<String> = []
    /// Marketo activity commands, repeats included, and their distinct command ids (diagnostics).
    var marketoActivityCommands = 0
    var marketoActivityCommandIds: Set<String> = []

    init(_ commands: [Command]) {
        for command in commands {
            switch (command.target, command.payload) {
            case (.marketo(let program), .memberStatus(let change)):
                marketoStatuses["\(command.email)|\(program)"] = change.status.name
            case (.salesforce(let campaign), .memberStatus(let change)):
                salesforceStatuses["\(command.email)|\(campaign)"] = change.status.name
            case (.marketo, .engagementUpsert(let snapshot)):
                marketoEngagements.insert("\(command.email)|\(snapshot.entry.id)")
            case (.salesforce(let campaign), .engagementUpsert(let snapshot)):
                salesforceEngagements.insert("\(command.email)|\(campaign)|\(snapshot.entry.id)")
            case (.marketo, .engagementActivity(let snapshot)):
                marketoActivities.insert("\(command.email)|\(snapshot.entry.id)")
                marketoActivityCommands += 1
                marketoActivityCommandIds.insert(command.commandId.rawValue)
            case (.salesforce, .engagementActivity):
                break
            }
        }
    }
}

struct PipelineTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
