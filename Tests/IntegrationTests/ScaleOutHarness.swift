import Foundation
import Kafka
import Logging
import SandboxMarketo
import SandboxSalesforce
import TestSupport

// MARK: - RoleProcess

/// One `leadsync` role (fold, writer, simulate) as a child process with its own environment, its standard output
/// and standard error in a log file that outlives the test when it fails.
final class RoleProcess {
    let name: String
    let logPath: String
    private let process = Process()

    init(name: String, arguments: [String], environment: [String: String], logDirectory: URL) throws {
        self.name = name
        let log = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        logPath = log.path
        process.executableURL = LeadSyncBinary.url
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// The exit status; only meaningful once the process stopped.
    var exitStatus: Int32 { process.terminationStatus }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The number right after the last `prefix` in the log (for summary lines such as "stopped after 123 input
    /// records"), or `nil` when there is none.
    func lastNumber(after prefix: String) -> Int? {
        guard let range = log.range(of: prefix, options: .backwards) else { return nil }
        return Int(log[range.upperBound...].prefix(while: \.isNumber))
    }

    /// Waits until the child's log contains `text` at least `count` times.
    func waitForLog(_ text: String, count: Int = 1, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.components(separatedBy: text).count - 1 >= count { return }
            guard process.isRunning else {
                throw ScaleOutFailure(
                    "\(name) exited (\(process.terminationStatus)) before logging '\(text)'; see \(logPath)"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ScaleOutFailure("no '\(text)' in \(logPath) after \(timeout)")
    }

    /// Waits for the process to exit by itself; returns its status.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw ScaleOutFailure("\(name) still running after \(timeout); see \(logPath)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return process.terminationStatus
    }

    /// SIGTERM, then waits (SIGKILL after `timeout`); returns the exit status.
    func terminateGracefully(timeout: Duration = .seconds(30)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        return process.terminationStatus
    }

    /// Stops the process at once if it still runs (cleanup after a failure).
    func killIfRunning() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

// MARK: - ScaleOutSandboxes

/// Both CRM sandboxes in the test process on free loopback ports, provisioned as the development configuration's
/// tenants expect: Marketo subscription 123-ABC-456 with programs 1001-1003, the Salesforce org's standard campaigns
/// and the engagement object's External ID `engagement_key__c`.
final class ScaleOutSandboxes: Sendable {
    static let munchkinId = "123-ABC-456"
    static let marketoSecret = "leadsync-client-secret"
    static let salesforceSecret = "leadsync-sandbox-secret"

    let marketo: MarketoSandbox
    let salesforce: SalesforceSandbox
    let marketoURL: URL
    let salesforceURL: URL
    private let tasks: [Task<Void, any Error>]

    private init(
        marketo: MarketoSandbox,
        salesforce: SalesforceSandbox,
        marketoURL: URL,
        salesforceURL: URL,
        tasks: [Task<Void, any Error>]
    ) {
        self.marketo = marketo
        self.salesforce = salesforce
        self.marketoURL = marketoURL
        self.salesforceURL = salesforceURL
        self.tasks = tasks
    }

    static func start() async throws -> ScaleOutSandboxes {
        let quiet = Logger(label: "scale-out.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        let marketo = try MarketoSandbox(
            setup: MarketoSandboxSetup.standard(munchkinId: munchkinId),
            options: MarketoSandboxOptions(logger: quiet)
        )
        let salesforce = try SalesforceSandbox(setup: .standard(), options: .init(logger: quiet))
        let tasks = [Task { try await marketo.run() }, Task { try await salesforce.run() }]
        return ScaleOutSandboxes(
            marketo: marketo,
            salesforce: salesforce,
            marketoURL: try await marketo.baseURL(),
            salesforceURL: try await salesforce.waitUntilRunning(),
            tasks: tasks
        )
    }

    func stop() {
        for task in tasks { task.cancel() }
    }
}

// MARK: - ScaleOutKafka

/// Reads the shared cluster from the test: watermarks, a group's committed offsets, whole topics, and the fold's
/// last checkpoint per changelog partition (incrementally: the changelog is read once, as it grows).
final class ScaleOutKafka {
    let client: KafkaClientConfiguration
    let partitions: Int
    let logger: Logger
    private let reader: KafkaConsumer
    private let checkpointReader: PartitionReader
    private var checkpointPositions: [TopicPartition: Int64] = [:]
    private var groupReaders: [String: KafkaConsumer] = [:]
    private let changelog: String
    /// Changelog partition -> input topic -> next input offset, from the partition's last checkpoint record.
    private(set) var checkpoints: [Int32: [String: Int64]] = [:]

    static let checkpointKey: [UInt8] = [0] + Array("checkpoint".utf8)

    init(client: KafkaClientConfiguration, partitions: Int, changelog: String, logger: Logger) throws {
        self.client = client
        self.partitions = partitions
        self.changelog = changelog
        self.logger = logger
        reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupId: "scale-out-reader"),
            logger: logger
        )
        checkpointReader = try PartitionReader(
            client: client,
            label: "scale-out-checkpoints",
            settings: PartitionReader.Settings(stallTimeout: .seconds(30)),
            logger: logger
        )
        for partition in 0..<Int32(partitions) {
            checkpointPositions[TopicPartition(topic: changelog, partition: partition)] = 0
        }
    }

    /// Partition -> high watermark.
    func highWatermarks(_ topic: String) async throws -> [Int32: Int64] {
        var highs: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            highs[partition] = try await reader.watermarks(TopicPartition(topic: topic, partition: partition)).high
        }
        return highs
    }

    func total(_ topic: String) async throws -> Int64 {
        try await highWatermarks(topic).values.reduce(0, +)
    }

    /// How many records of `topics` the group has not committed past yet (a partition with no committed offset
    /// counts from 0).
    func uncommitted(group: String, topics: [String]) async throws -> Int64 {
        let consumer: KafkaConsumer
        if let known = groupReaders[group] {
            consumer = known
        } else {
            // Never subscribes: it only asks the coordinator for the group's committed offsets.
            consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(client: client, groupId: group),
                logger: logger
            )
            groupReaders[group] = consumer
        }
        var behind: Int64 = 0
        for topic in topics {
            let partitions = (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }
            let committed = try await consumer.committed(partitions)
            for partition in partitions {
                let high = try await reader.watermarks(partition).high
                behind += max(0, high - (committed[partition] ?? 0))
            }
        }
        return behind
    }

    /// Reads the changelog up to its current end and returns how many input records (of `inputs`) lie beyond the
    /// last checkpoint of their partition.
    func unfolded(inputs: [String]) async throws -> Int64 {
        // From where the last call stopped to the end now; a read held up by a crashed fold's open transaction
        // stops after 30 s without progress and goes on from there at the next call.
        let ranges = try await checkpointReader.rangesToEnd(from: checkpointPositions)
        let read = try checkpointReader.read(ranges)
        defer { read.finish() }
        do {
            while let records = try await read.next() {
                for record in records {
                    checkpointPositions[record.topicPartition] = record.offset + 1
                    guard record.key == Self.checkpointKey else { continue }
                    let object = try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any]
                    let offsets = (object?["inputs"] as? [String: Any] ?? [:])
                        .compactMapValues { ($0 as? NSNumber)?.int64Value }
                    checkpoints[record.partition] = offsets
                }
            }
            for range in ranges { checkpointPositions[range.partition] = range.end }
        } catch PartitionReadError.stalled(let remaining, _) {
            for range in remaining { checkpointPositions[range.partition] = range.start }
        }
        var behind: Int64 = 0
        for topic in inputs {
            for (partition, high) in try await highWatermarks(topic) {
                behind += max(0, high - (checkpoints[partition]?[topic] ?? 0))
            }
        }
        return behind
    }

    /// Every record of a topic, from offset 0 to the high watermark of each partition.
    func readAll(_ topic: String) async throws -> [ConsumedRecord] {
        let topicReader = try TopicReader(client: client, label: "scale-out-reader", logger: logger)
        let watermarks = try await topicReader.watermarks(of: topic)
        for (topicPartition, extent) in watermarks.sorted(by: { $0.key < $1.key }) where extent.high > 0 {
            guard extent.low == 0 else {
                throw ScaleOutFailure(
                    "\(topicPartition) lost its head (the mock keeps about 5 MB a partition): \(extent.low)"
                )
            }
        }
        return try await topicReader.records(within: watermarks)
    }
}

/// A scale-out run could not go on; says where to look.
struct ScaleOutFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
