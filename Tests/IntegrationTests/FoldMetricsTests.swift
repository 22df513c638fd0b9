import Foundation
import Kafka
import Logging
import Simulation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fold's /metrics as an operator reads them: lag from its own positions (the mock cluster stores no
/// transactional offsets), the lead gauge right after a restore, restored records equal to the restore's log line,
/// histograms in seconds. And the default transactional id, the same on every start on one host.
@Suite("Fold metrics: lag, leads after a restore, restored records, seconds", .serialized)
struct FoldMetricsTests {
    static let prefix = "metrics-"
    static let partitions = 4

    @Test("a fold started twice on one host: same transactional id; metrics true to its state and its logs")
    func foldMetrics() async throws {
        var logger = Logger(label: "fold-metrics-test")
        logger.logLevel = .critical
        let cluster = try MockCluster(brokers: 1, logger: logger)
        for name in FoldCrashTests.topicNames {
            try cluster.createTopic(Self.prefix + name, partitions: Self.partitions)
        }
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "metrics-test")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fold-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let configFile = work.appendingPathComponent("leadsync.yaml")
        try FoldCrashTests.configurationText.write(to: configFile, atomically: true, encoding: .utf8)

        let plan = SimulationPlan(
            leadCount: 1_000,
            eventsPerLead: 5,
            seed: 99,
            attendeeTopic: Self.prefix + "attendee.events",
            engagementTopic: Self.prefix + "engagement.events"
        )
        let records = Array(plan.records())
        let leads = Set(records.map(\.intent.leadKey)).count
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: client,
                lingerMilliseconds: 5,
                partitioner: .murmur2Random
            ),
            logger: logger
        )
        let reports = try await producer.send(
            records.map { OutgoingRecord(topic: $0.topic, key: $0.key, value: $0.value) }
        )
        let delivered = reports.filter(\.isDelivered).count
        #expect(delivered == records.count)

        let arguments = [
            "fold", "--config", configFile.path, "--bootstrap-servers", cluster.bootstrapServers,
            "--topic-prefix", Self.prefix, "--state-dir", work.appendingPathComponent("state").path,
            "--metrics-address", "127.0.0.1:0",
        ]
        // No LEADSYNC_INSTANCE_ID, no HOSTNAME: the default instance id is {host}-fold.
        var environment = ProcessInfo.processInfo.environment
        environment["LEADSYNC_INSTANCE_ID"] = nil
        environment["HOSTNAME"] = nil
        environment["LEADSYNC_CONFIG"] = nil

        // First start: folds everything; lag falls to 0 for the fold's group, from its positions.
        let first = try FoldChild(
            arguments: arguments,
            log: work.appendingPathComponent("fold-1.log"),
            environment: environment
        )
        let firstURL = try await Self.metricsURL(first)
        let caughtUp = try await Self.waitForMetrics(firstURL, timeout: .seconds(120)) { text in
            Self.value(text, "leadsync_fold_leads") == Double(leads)
                && ["attendee.events", "engagement.events"].allSatisfy { topic in
                    Self.value(text, #"leadsync_consumer_lag{group="leadsync-fold",topic="metrics-"# + topic + #""}"#)
                        == 0
                }
        }
        // Histograms of seconds have buckets in seconds.
        let bounds = Self.bucketBounds(caughtUp, "leadsync_fold_transaction_seconds_bucket")
        #expect(!bounds.isEmpty && bounds.allSatisfy { $0 <= 60 } && bounds.contains { $0 < 1 }, "\(bounds)")
        #expect(first.terminateGracefully() == 0)
        let firstLog = try String(contentsOfFile: first.logPath, encoding: .utf8)

        // Second start: restores (snapshots + changelog tail), folds nothing new, so commits nothing.
        let second = try FoldChild(
            arguments: arguments,
            log: work.appendingPathComponent("fold-2.log"),
            environment: environment
        )
        let secondURL = try await Self.metricsURL(second)
        try await second.waitForLog("partitions restored", timeout: .seconds(60))
        let restored = try await Self.waitForMetrics(secondURL, timeout: .seconds(60)) { text in
            Self.value(text, "leadsync_fold_assigned_partitions") == Double(Self.partitions)
                && Self.value(text, "leadsync_fold_leads") == Double(leads)
        }
        #expect(
            Self.value(restored, #"leadsync_fold_transactions_total{result="committed"}"#) == nil,
            "no commit happened: the lead gauge was set by the restore"
        )
        let secondLog = try String(contentsOfFile: second.logPath, encoding: .utf8)
        let loggedRecords = Self.restoredRecordsLogged(secondLog)
        let counted =
            (Self.value(restored, #"leadsync_fold_restored_records_total{source="changelog"}"#) ?? 0)
            + (Self.value(restored, #"leadsync_fold_restored_records_total{source="snapshot"}"#) ?? 0)
        #expect(loggedRecords > 0 && counted == Double(loggedRecords), "metric \(counted), log \(loggedRecords)")
        #expect(second.terminateGracefully() == 0)

        // The same transactional id both times.
        let host = ProcessInfo.processInfo.hostName
        for log in [firstLog, secondLog] {
            #expect(log.contains("transactional id leadsync-fold-\(host)-fold"), "\(log.prefix(400))")
        }
    }

    // MARK: - Helpers

    /// The metrics URL of a role started with --metrics-address host:0, from its log.
    static func metricsURL(_ child: FoldChild) async throws -> URL {
        try await child.waitForLog("serving /metrics", timeout: .seconds(60))
        let log = try String(contentsOfFile: child.logPath, encoding: .utf8)
        let line = try #require(log.split(separator: "\n").first { $0.contains("serving /metrics") })
        let range = try #require(line.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression))
        return try #require(URL(string: "http://\(line[range])/metrics"))
    }

    /// Scrapes until `condition` holds; returns that scrape.
    static func waitForMetrics(
        _ url: URL,
        timeout: Duration,
        until condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            if let (data, _) = try? await URLSession.shared.data(from: url) {
                last = String(decoding: data, as: UTF8.self)
                if condition(last) { return last }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw CrashTestFailure("metrics never satisfied the condition; last scrape:\n\(last.prefix(3000))")
    }

    /// The value of one series (its name with labels, exactly as exported).
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The finite `le` bounds of a histogram's buckets.
    static func bucketBounds(_ text: String, _ name: String) -> [Double] {
        text.split(separator: "\n").filter { $0.hasPrefix(name) }.compactMap { line in
            guard let start = line.range(of: "le=\"")?.upperBound,
                let end = line[start...].firstIndex(of: "\"")
            else { return nil }
            return Double(line[start..<end])
        }.filter(\.isFinite)
    }

    /// The sum of the `records` of every "partitions restored" log line (JSON logs).
    static func restoredRecordsLogged(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("partitions restored") }.reduce(0) { total, line in
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let records = (object["records"] as? String).flatMap(Int.init)
            else { return total }
            return total + records
        }
    }
}
