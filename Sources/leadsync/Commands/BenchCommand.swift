import ArgumentParser
import Basics
import Foundation
import Kafka
import Logging

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "End-to-end benchmarks over a running cluster (see Benchmarks/ and docs/benchmarks.md).",
        subcommands: [
            Load.self, Pipe.self, FoldThroughput.self, FoldCPU.self, StateFootprint.self, BenchMarketoCommand.self,
            BenchSalesforceCommand.self, BenchHTTPCommand.self,
        ]
    )

    struct ClusterOptions: ParsableArguments {
        @Option(help: "Kafka bootstrap servers.")
        var bootstrapServers: String

        var client: KafkaClientConfiguration {
            KafkaClientConfiguration(
                bootstrapServers: bootstrapServers.split(separator: ",").map(String.init),
                clientId: "leadsync-bench"
            )
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Produce N records of a given size with random keys.")

        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Topic to write.") var topic: String
        @Option(help: "Number of records.") var records = 200_000
        @Option(help: "Value size in bytes.") var recordSize = 300

        func run() async throws {
            try await runReportingErrors {
                let producer = try KafkaProducer(
                    configuration: KafkaProducerConfiguration(client: cluster.client, lingerMilliseconds: 20),
                    logger: makeLogger("leadsync.bench")
                )
                var generator = SystemRandomNumberGenerator()
                let value = [UInt8](repeating: UInt8(ascii: "x"), count: recordSize)
                var sent = 0
                while sent < records {
                    let count = min(20_000, records - sent)
                    let batch = (0..<count).map { _ in
                        OutgoingRecord(
                            topic: topic,
                            key: Array("lead-\(generator.next() % 1_000_000)".utf8),
                            value: value
                        )
                    }
                    let reports = try await producer.send(batch)
                    if let failed = reports.first(where: { !$0.isDelivered }) {
                        throw CommandFailure(message: "delivery failed: \(failed.error?.name ?? "?")")
                    }
                    sent += count
                }
                printLine("loaded \(sent) records of \(recordSize) bytes into \(topic)")
            }
        }
    }

    struct Pipe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A transactional consume -> produce pipe with no logic; prints one JSON line of figures.",
            discussion:
                "The C baseline in Benchmarks/pipe/c_pipe.c does exactly the same; Benchmarks/pipe/run.sh runs both."
        )

        @OptionGroup var cluster: ClusterOptions
        @Option(help: "Topic to read.") var input: String
        @Option(help: "Topic to write.") var output: String
        @Option(help: "Records to pipe before stopping.") var records = 200_000
        @Option(help: "Records per transaction.") var commitEvery = 1_000

        func run() async throws {
            try await runReportingErrors {
                let result = try await runTransactionalPipe(
                    client: cluster.client,
                    input: input,
                    output: output,
                    records: records,
                    commitEvery: commitEvery,
                    logger: makeLogger("leadsync.bench")
                )
                printLine(
                    String(
                        format: #"{"impl":"swift","commit_every":%d,"records":%d,"seconds":%.3f,"#
                            + #""msgs_per_s":%.0f,"peak_rss_mb":%.1f}"#,
                        commitEvery,
                        result.records,
                        result.seconds,
                        Double(result.records) / result.seconds,
                        peakRSSMegabytes()
                    )
                )
            }
        }
    }
}

/// A transactional consume -> produce pipe with no logic: the baseline every fold figure is compared with.
/// - Parameter replacements: when given, the records written for the n-th record consumed (from 0), in place of
///   its copy; they go to the consumed record's partition of their topics, which `outputTopics` must list.
/// - Returns: records piped and seconds from the first record to the last commit.
func runTransactionalPipe(
    client: KafkaClientConfiguration,
    input: String,
    output: String,
    records: Int,
    commitEvery: Int,
    fetchWaitMaxMilliseconds: Int? = nil,
    compression: String = "none",
    replacements: (outputTopics: [String], records: (Int) -> [OutgoingRecord])? = nil,
    logger: Logger
) async throws -> (records: Int, seconds: Double) {
    let group = "bench-pipe-\(UUID().uuidString.prefix(8))"
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(
            client: client,
            groupId: group,
            fetchWaitMaxMilliseconds: fetchWaitMaxMilliseconds
        ),
        logger: logger
    )
    let producer = try TransactionalProducer(
        configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 5, compression: compression),
        transactionalId: group,
        logger: logger
    )
    try await producer.initTransactions()
    // As the fold does: the first commit does not wait for a lookup.
    try await producer.prepareTopics(replacements?.outputTopics ?? [output])
    try consumer.subscribe([input])
    try producer.beginTransaction()

    let clock = ContinuousClock()
    var started: ContinuousClock.Instant?
    var total = 0
    var inTransaction = 0
    var offsets: [TopicPartition: Int64] = [:]
    var lastProgress = clock.now
    while total < records {
        let wanted = min(commitEvery - inTransaction, records - total, 10_000)
        let batch = try await consumer.poll(maxRecords: wanted, timeout: .milliseconds(100))
        if batch.isEmpty {
            if started != nil, clock.now - lastProgress > .seconds(30) {
                throw CommandFailure(
                    message: "the pipe stalled at \(total) of \(records) records: the mock cluster keeps about 5 MB a"
                        + " partition and deletes older records; use fewer records or more partitions"
                )
            }
            continue
        }
        if started == nil { started = clock.now }
        lastProgress = clock.now
        for partition in batch.partitions {
            for (index, record) in partition.records.enumerated() {
                guard let replacements else {
                    try await producer.send(OutgoingRecord(topic: output, key: record.key, value: record.value))
                    continue
                }
                for var replacement in replacements.records(total + index) {
                    replacement.partition = record.partition
                    try await producer.send(replacement)
                }
            }
            if let next = partition.nextOffset { offsets[partition.topicPartition] = next }
            inTransaction += partition.records.count
            total += partition.records.count
        }
        if inTransaction >= commitEvery || total >= records {
            let metadata = try consumer.groupMetadata()
            try await producer.sendOffsets(
                offsets.map { TopicPartitionOffset(topicPartition: $0.key, offset: $0.value) },
                groupMetadata: metadata
            )
            try await producer.commitTransaction()
            inTransaction = 0
            if total < records { try producer.beginTransaction() }
        }
    }
    let elapsed = clock.now - (started ?? clock.now)
    try await consumer.close()
    return (total, elapsed.seconds)
}

/// CPU seconds the process has used so far, on all its threads (user and system).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    return user + system
}

/// Minor page faults of the process so far (pages it touched for the first time).
func processMinorFaults() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_minflt
}

/// The process's peak resident set size so far, in MB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
