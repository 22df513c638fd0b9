import Config
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import Simulation
import TestSupport
import Testing

/// The fold as operators run it, killed with SIGKILL at random instants while its input is still arriving, with
/// Participated derived from engagement and engagement.events produced ahead of attendee.events: a re-fold after
/// each kill meets a lead's events in another order than the transaction it replaces.
@Suite("Fold exactly-once across kill -9", .serialized)
struct FoldCrashTests {
    static let partitions = 32
    static let prefix = "crash-"

    /// Tenants as the simulation names them, Participated derived (the default rule), a one-day settle window (so
    /// that custom activities are sent only when a session ends, not by the wall clock).
    static let configurationText = """
        fold:
          commitInterval: 100ms
          commitMaxRecords: 2000
        tenants:
          - tenant: acme
            destinations: [marketo, salesforce]
            settleWindow: 24h
            events:
              summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
              webinar-7: { marketoProgramId: 1002, salesforceCampaignId: 701Dn0000000002IAA }
            marketo: { munchkinId: 123-ABC-456, clientId: crash-test, clientSecret: { env: CRASH_TEST_SECRET } }
            salesforce:
              { loginURL: "http://127.0.0.1:1", clientId: crash-test, clientSecret: { env: CRASH_TEST_SECRET } }
          - tenant: globex
            destinations: [marketo]
            settleWindow: 24h
            events:
              partner-day-2026: { marketoProgramId: 1003 }
            marketo: { munchkinId: 456-DEF-789, clientId: crash-test, clientSecret: { env: CRASH_TEST_SECRET } }
        """

    static let topicNames = [
        "attendee.events", "engagement.events", "leadsync.repartition", "leadsync.state.changelog",
        "leadsync.events.dlq", "marketo.commands", "salesforce.commands",
    ]

    @Test("SIGKILL at 10+ random instants during 100k events, engagement ahead: last commands equal the state")
    func killNineAtRandom() async throws {
        var logger = Logger(label: "crash-test")
        logger.logLevel = .critical
        let cluster = try MockCluster(brokers: 1, logger: logger)
        for name in Self.topicNames {
            try cluster.createTopic(Self.prefix + name, partitions: Self.partitions)
        }
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "crash-test")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fold-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let configFile = work.appendingPathComponent("leadsync.yaml")
        try Self.configurationText.write(to: configFile, atomically: true, encoding: .utf8)
        let config = try LeadSyncConfig.load(path: configFile.path, environment: [:])

        let plan = SimulationPlan(
            leadCount: 10_000,
            eventsPerLead: 10,
            rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.02, poison: 0.01),
            seed: 2026,
            attendeeTopic: Self.prefix + "attendee.events",
            engagementTopic: Self.prefix + "engagement.events",
            topicSkew: TopicSkew(leading: .engagement, records: 20_000)
        )
        let records = Array(plan.records())
        #expect(records.count >= 100_000)

        // Input keeps arriving in chunks while the fold is killed and restarted.
        let producing = Task {
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 5),
                logger: logger
            )
            let chunk = records.count / 20 + 1
            for start in stride(from: 0, to: records.count, by: chunk) {
                let slice = records[start..<min(start + chunk, records.count)]
                let reports = try await producer.send(
                    slice.map { OutgoingRecord(topic: $0.topic, key: $0.key, value: $0.value) }
                )
                guard reports.allSatisfy(\.isDelivered) else { throw CrashTestFailure("input not delivered") }
                try await Task.sleep(for: .milliseconds(700))
            }
        }

        let arguments = [
            "fold", "--config", configFile.path, "--bootstrap-servers", cluster.bootstrapServers,
            "--topic-prefix", Self.prefix, "--instance-id", "crash", "--state-dir",
            work.appendingPathComponent("state").path,
            "--snapshot-interval", "2", "--session-timeout", "6", "--metrics-address", "127.0.0.1:0",
        ]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while kills < 10 {
            let fold = try FoldChild(arguments: arguments, log: work.appendingPathComponent("fold-\(kills).log"))
            // Killed while folding: some time after its partitions were assigned (restores take milliseconds).
            try await fold.waitForLog("partitions assigned", timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...2_500, using: &generator)))
            #expect(fold.isRunning, "the fold died by itself; see \(fold.logPath)")
            fold.kill9()
            kills += 1
        }
        try await producing.value

        let final = try FoldChild(arguments: arguments, log: work.appendingPathComponent("fold-final.log"))
        try await Self.waitUntilFolded(client: client, logger: logger, timeout: .seconds(300), logPath: final.logPath)
        #expect(final.terminateGracefully() == 0, "the fold stops cleanly on SIGTERM; see \(final.logPath)")

        // What the fold committed, and what the domain alone gives for the stream (in event time, so the same).
        let committed = try await LeadStateLookup.committedStates(
            changelog: Self.prefix + "leadsync.state.changelog",
            client: client,
            logger: logger
        )
        let reference = ReferenceFold.states(for: records, tenants: config.tenantDirectory)
        let committedByKey = Dictionary(uniqueKeysWithValues: committed.map { ($0.key.rawValue, $0.value) })
        #expect(committed.count == reference.count)
        var stateMismatches = 0
        for (key, state) in reference {
            // Statuses and engagement snapshots: what the events give, apart from the wall clock's settle timer.
            let found = committedByKey[key]
            if found?.timelines != state.timelines || found?.engagements.map(\.key) != state.engagements.map(\.key)
                || found?.profile != state.profile || found?.userId != state.userId
            {
                stateMismatches += 1
            }
        }
        #expect(stateMismatches == 0, "leads whose committed state is not the reference's")

        var statusSlots = 0
        for (destination, topic) in [(Destination.marketo, "marketo.commands"), (.salesforce, "salesforce.commands")] {
            let commands = try await Self.readAll(Self.prefix + topic, client: client, logger: logger).map {
                try CommandCodec.decode($0.value)
            }
            let ids = commands.map(\.commandId)
            #expect(ids.count == Set(ids).count, "\(topic): \(ids.count - Set(ids).count) command ids twice")
            // The last status command of every lead and event carries the committed status.
            var lastStatus: [String: ChannelStatus] = [:]
            var lastUpsert: [String: String] = [:]
            var activities: [String: Int] = [:]
            for command in commands {
                let slot = "\(command.leadKey.rawValue)|\(command.virtualEventId)"
                switch command.payload {
                case .memberStatus(let change): lastStatus[slot] = change.status
                case .engagementUpsert(let snapshot): lastUpsert[slot + "|" + snapshot.entry.id] = command.sourceEventId
                case .engagementActivity(let snapshot): activities[slot + "|" + snapshot.entry.id, default: 0] += 1
                }
            }
            var expectedStatus: [String: ChannelStatus] = [:]
            var expectedUpsert: [String: EventDigest] = [:]
            for (key, state) in committed {
                let tenant = config.tenants.first { $0.tenant == key.tenant }
                guard tenant?.destinations.contains(destination) == true else { continue }
                for membership in state.memberships {
                    expectedStatus["\(key.rawValue)|\(membership.virtualEventId)"] = membership.status
                }
                for record in state.engagements {
                    expectedUpsert["\(key.rawValue)|\(record.virtualEventId)|\(record.entryId)"] = record.eventDigest
                }
            }
            let wrongStatus = expectedStatus.filter { lastStatus[$0.key] != $0.value }
            #expect(wrongStatus.isEmpty, "\(topic): \(wrongStatus.count) leads and events whose last command differs")
            #expect(Set(lastStatus.keys) == Set(expectedStatus.keys), "\(topic): status commands for other leads")
            let wrongUpsert = expectedUpsert.filter { lastUpsert[$0.key].map(EventDigest.init(eventId:)) != $0.value }
            #expect(wrongUpsert.isEmpty, "\(topic): \(wrongUpsert.count) entries whose last upsert is not the latest")
            // The custom activity is an append-only log: one per lead and entry at most.
            #expect(activities.values.allSatisfy { $0 == 1 }, "\(topic): an activity sent twice for one entry")
            statusSlots += expectedStatus.count
            let restated = commands.filter { $0.sourceEventId.hasPrefix("restatement:") }.count
            print("fold crash test, \(topic): \(commands.count) commands, \(restated) restatements")
        }
        #expect(statusSlots > 10_000)
        let deadLetters = try await Self.readAll(Self.prefix + "leadsync.events.dlq", client: client, logger: logger)
        #expect(deadLetters.count == records.filter { $0.intent.poisonKind != nil }.count)
        if stateMismatches == 0 { try? FileManager.default.removeItem(at: work) }
    }

    // MARK: - Helpers

    /// Waits until the last checkpoint of every changelog partition has folded its inputs to their end.
    static func waitUntilFolded(
        client: KafkaClientConfiguration,
        logger: Logger,
        timeout: Duration,
        logPath: String
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupId: "crash-progress"),
            logger: logger
        )
        while ContinuousClock.now < deadline {
            var behind = 0
            let checkpoints = try await lastCheckpoints(client: client, logger: logger)
            for partition in 0..<Int32(partitions) {
                for topic in ["attendee.events", "engagement.events"] {
                    let input = TopicPartition(topic: prefix + topic, partition: partition)
                    let (_, high) = try await reader.watermarks(input)
                    let folded = checkpoints[partition]?[input.topic] ?? 0
                    behind += Int(high - folded)
                }
            }
            if behind == 0 { return }
            try await Task.sleep(for: .seconds(1))
        }
        throw CrashTestFailure("the fold did not catch up in \(timeout); see \(logPath)")
    }

    /// Per changelog partition, the input offsets of its last checkpoint record.
    static func lastCheckpoints(
        client: KafkaClientConfiguration,
        logger: Logger
    ) async throws -> [Int32: [String: Int64]] {
        var checkpoints: [Int32: [String: Int64]] = [:]
        for record in try await readAll(prefix + "leadsync.state.changelog", client: client, logger: logger)
        where record.key == [0] + Array("checkpoint".utf8) {
            let object = try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any]
            let inputs = (object?["inputs"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.int64Value }
            checkpoints[record.partition] = inputs
        }
        return checkpoints
    }

    static func readAll(
        _ topic: String,
        client: KafkaClientConfiguration,
        logger: Logger
    ) async throws
        -> [ConsumedRecord]
    {
        let reader = try TopicReader(client: client, label: "crash-reader", logger: logger)
        let watermarks = try await reader.watermarks(of: topic)
        for (topicPartition, extent) in watermarks.sorted(by: { $0.key < $1.key }) {
            #expect(
                extent.low == 0,
                "\(topicPartition) lost its head (the mock keeps about 5 MB a partition): \(extent.low)"
            )
        }
        return try await reader.records(within: watermarks)
    }
}

/// `leadsync fold` as a child process, its output in a log file.
final class FoldChild {
    let process = Process()
    let logPath: String

    init(arguments: [String], log: URL, environment: [String: String]? = nil) throws {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        logPath = log.path
        process.executableURL = LeadSyncBinary.url
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Waits until the child's log contains `text`.
    func waitForLog(_ text: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let log = try? String(contentsOfFile: logPath, encoding: .utf8), log.contains(text) { return }
            guard process.isRunning else { throw CrashTestFailure("the fold exited; see \(logPath)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CrashTestFailure("no '\(text)' in \(logPath) after \(timeout)")
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits; returns the exit status.
    func terminateGracefully() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct CrashTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
