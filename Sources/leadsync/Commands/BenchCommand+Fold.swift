import ArgumentParser
import Basics
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import Simulation

extension BenchCommand {
    /// Fold throughput beside the raw transactional pipe, on one embedded cluster, per commit size; restore rates.
    struct FoldThroughput: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fold",
            abstract: "Fold events/s beside the raw transactional pipe (same cluster, same records, same commit size).",
            discussion: """
                Starts an embedded mock cluster in this process, produces one simulated stream to the fold's two \
                input topics and, byte for byte, to one pipe topic; then for each commit size runs the raw \
                transactional pipe (`bench pipe`) and the fold over them. Between the two, the pipe runs again \
                writing, for each record it reads, the records the fold writes for an input (computed beforehand \
                by an offline fold task): the ceiling of any fold on this machine, since it moves the fold's \
                outputs without decoding, folding or encoding anything. After the fold it restores the same group \
                twice: from the snapshot files it wrote on leaving, then from the changelog alone. Prints one JSON \
                line per measurement and, per commit size, the ceiling's ratio and `fold/pipe ratio: 0.NN`.
                """
        )

        @Option(help: "Leads in the stream.") var leads = 20_000
        @Option(help: "Valid events per lead.") var eventsPerLead = 10
        @Option(help: "Commit sizes (records per transaction), comma-separated.") var commitEvery = "1000,5000,20000"
        @Option(help: "Partitions of every topic.") var partitions = 32
        @Option(help: "Brokers of the embedded mock cluster (the leaders of the partitions are spread over them).")
        var brokers = 1
        @Option(help: "Threads that fold a poll's partitions at once (the fold's `threads` setting).")
        var foldThreads = 2
        @Option(help: "Runs per commit size, each on a fresh copy of the stream; the median ratio is reported.")
        var `repeat` = 1
        @Option(help: "compression.codec of both the pipe's and the fold's producer (none, lz4, zstd, ...).")
        var compression = FoldConfiguration.defaultOutputCompression

        func run() async throws {
            try await runReportingErrors {
                let logger = makeLogger("leadsync.bench", level: .critical)
                guard brokers >= 1 else {
                    throw CommandFailure(message: "--brokers must be at least 1, got \(brokers)")
                }
                guard `repeat` >= 1 else {
                    throw CommandFailure(message: "--repeat must be at least 1, got \(`repeat`)")
                }
                guard (1...64).contains(foldThreads) else {
                    throw CommandFailure(message: "--fold-threads must be in 1...64, got \(foldThreads)")
                }
                let cluster = try MockCluster(brokers: brokers, logger: logger)
                let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "bench")
                let tenants = BenchTenants.directory
                let sizes = commitEvery.split(separator: ",").compactMap {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
                    throw CommandFailure(message: "--commit-every expects positive integers, got '\(commitEvery)'")
                }
                printLine(
                    "fold benchmark: \(leads) leads x \(eventsPerLead) events, \(partitions) partitions, \(brokers) "
                        + "broker(s), \(foldThreads) fold thread(s), compression \(compression)"
                )
                for size in sizes {
                    var ratios: [Double] = []
                    var ceilings: [Double] = []
                    for run in 1...`repeat` {
                        let measured = try await measure(
                            size: size,
                            run: run,
                            cluster: cluster,
                            client: client,
                            tenants: tenants,
                            logger: logger
                        )
                        ratios.append(measured.fold)
                        ceilings.append(measured.ceiling)
                    }
                    if `repeat` > 1 {
                        func listed(_ values: [Double]) -> String {
                            values.map { String(format: "%.2f", $0) }.joined(separator: ", ")
                        }
                        let ceiling = String(format: "%.2f", Self.median(ceilings))
                        printLine(
                            "N=\(size): ceiling/pipe, median of \(`repeat`) runs (\(listed(ceilings))): \(ceiling)"
                        )
                        printLine("N=\(size): fold/pipe, median of \(`repeat`) runs (\(listed(ratios)))")
                    }
                    printLine(String(format: "N=%d: fold/pipe ratio: %.2f", size, Self.median(ratios)))
                }
                printLine(
                    String(
                        format: "peak RSS of the benchmark process (cluster, producers, pipe and fold): %.0f MB",
                        peakRSSMegabytes()
                    )
                )
            }
        }

        /// One pipe run, one run of the pipe writing the fold's outputs, and one fold run (then its two restores),
        /// each over a fresh copy of the stream; the fold's and the ceiling's rates over the pipe's.
        private func measure(
            size: Int,
            run: Int,
            cluster: MockCluster,
            client: KafkaClientConfiguration,
            tenants: TenantDirectory,
            logger: Logger
        ) async throws -> (fold: Double, ceiling: Double) {
            let prefix = "b\(size)r\(run)-"
            let topics = FoldConfiguration.Topics.standard.prefixed(prefix)
            let pipeInput = "\(prefix)pipe.in"
            for topic in Set(topics.inputs + topics.outputs + [pipeInput, "\(prefix)pipe.out"]) {
                try cluster.createTopic(topic, partitions: partitions)
            }
            let count = try await produceStream(client: client, topics: topics, pipeInput: pipeInput, logger: logger)

            let pipeCPUStart = processCPUSeconds()
            let pipeFaultsStart = processMinorFaults()
            let pipe = try await runPipe(
                input: pipeInput,
                output: "\(prefix)pipe.out",
                records: count,
                commitEvery: size,
                client: client,
                logger: logger
            )
            let pipeCPU = processCPUSeconds() - pipeCPUStart
            let pipeRate = Double(pipe.records) / pipe.seconds
            printLine(
                Self.json([
                    "impl": "pipe", "commit_every": size, "records": pipe.records, "seconds": pipe.seconds,
                    "msgs_per_s": pipeRate.rounded(), "cpu_s": pipeCPU,
                    "page_faults": processMinorFaults() - pipeFaultsStart,
                ])
            )
            let ceilingRate = try await measureOutputPipe(
                size: size,
                prefix: prefix,
                pipeInput: pipeInput,
                count: count,
                pipeRate: pipeRate,
                cluster: cluster,
                client: client,
                logger: logger
            )

            let stateDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("leadsync-bench-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
            var configuration = FoldConfiguration(
                client: client,
                tenants: tenants,
                groupId: "bench-fold-\(size)-\(run)",
                instanceId: "bench",
                topics: topics,
                // Transactions of exactly N records, as the pipe's: no commit by time (at 20k events/s a
                // short interval would commit every few thousand records); the tail commits on stop.
                commitInterval: .seconds(3600),
                commitMaxRecords: size,
                stateDirectory: stateDirectory,
                snapshotInterval: .seconds(3600),
                maxPollRecords: min(size, 10_000),
                foldThreads: foldThreads,
                outputCompression: compression
            )
            let foldCPUStart = processCPUSeconds()
            let foldFaultsStart = processMinorFaults()
            let folded = try await Self.runFold(configuration, until: count, logger: logger)
            let foldCPU = processCPUSeconds() - foldCPUStart
            let foldFaults = processMinorFaults() - foldFaultsStart
            let foldRate = Double(count) / folded.seconds
            let written = try await Self.recordsWritten(
                to: topics.outputs,
                partitions: partitions,
                client: client,
                logger: logger
            )
            printLine(
                Self.json([
                    "impl": "fold", "commit_every": size, "records": count, "seconds": folded.seconds,
                    "msgs_per_s": foldRate.rounded(), "cpu_s": foldCPU, "page_faults": foldFaults,
                    "records_written": written, "transactions": folded.transactions,
                    "restored_records": folded.restoredRecords,
                ])
            )

            let fromSnapshot = try await Self.runFold(configuration, until: 0, logger: logger)
            configuration.stateDirectory = nil
            let fromChangelog = try await Self.runFold(configuration, until: 0, logger: logger)
            for (source, restore) in [("snapshot+changelog", fromSnapshot), ("changelog", fromChangelog)] {
                printLine(
                    Self.json([
                        "impl": "restore", "source": source, "commit_every": size, "records": restore.restoredRecords,
                        "seconds": restore.restoreSeconds,
                        "records_per_s": (Double(restore.restoredRecords) / max(restore.restoreSeconds, 0.000_001))
                            .rounded(),
                    ])
                )
            }
            return (foldRate / pipeRate, ceilingRate / pipeRate)
        }

        /// The fold's ceiling on this machine: the pipe again, writing for each record it reads the records the fold
        /// writes for an input (its commands, and at each commit the changelog states), computed beforehand by an
        /// offline fold task. No decoding, folding or encoding is timed: only moving the fold's outputs through
        /// the same cluster, with the same commit size.
        private func measureOutputPipe(
            size: Int,
            prefix: String,
            pipeInput: String,
            count: Int,
            pipeRate: Double,
            cluster: MockCluster,
            client: KafkaClientConfiguration,
            logger: Logger
        ) async throws -> Double {
            let outputPrefix = "\(prefix)outputs-"
            var outputs: [[OutgoingRecord]] = []
            outputs.reserveCapacity(count)
            var task = OfflineFoldTask(tenants: BenchTenants.directory)
            let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
            var outputTopics: Set<String> = []
            func renamed(_ record: OutgoingRecord) -> OutgoingRecord {
                var record = record
                record.topic = outputPrefix + record.topic
                outputTopics.insert(record.topic)
                return record
            }
            for record in Self.plan(leads: leads, eventsPerLead: eventsPerLead).records().prefix(count) {
                var written: [OutgoingRecord] = []
                try task.fold(topic: record.topic, key: record.key, value: record.value, now: now) {
                    written.append(renamed($0))
                }
                if (outputs.count + 1) % size == 0 || outputs.count + 1 == count {
                    try task.commit { written.append(renamed($0)) }
                }
                outputs.append(written)
            }
            for topic in outputTopics { try cluster.createTopic(topic, partitions: partitions) }
            let cpuStart = processCPUSeconds()
            let piped = try await runPipe(
                input: pipeInput,
                output: "",
                records: count,
                commitEvery: size,
                client: client,
                logger: logger,
                replacements: (outputTopics.sorted(), { outputs.indices.contains($0) ? outputs[$0] : [] })
            )
            let rate = Double(piped.records) / piped.seconds
            printLine(
                Self.json([
                    "impl": "pipe-fold-outputs", "commit_every": size, "records": piped.records,
                    "seconds": piped.seconds, "msgs_per_s": rate.rounded(), "cpu_s": processCPUSeconds() - cpuStart,
                    "records_written": outputs.reduce(0) { $0 + $1.count },
                ])
            )
            printLine(
                String(
                    format: "N=%d: ceiling (the fold's outputs piped, no fold work)/pipe: %.2f",
                    size,
                    rate / pipeRate
                )
            )
            return rate
        }

        /// The transactional pipe with the fold's consumer and producer settings, so both read and write alike.
        private func runPipe(
            input: String,
            output: String,
            records: Int,
            commitEvery: Int,
            client: KafkaClientConfiguration,
            logger: Logger,
            replacements: (outputTopics: [String], records: (Int) -> [OutgoingRecord])? = nil
        ) async throws -> (records: Int, seconds: Double) {
            try await runTransactionalPipe(
                client: client,
                input: input,
                output: output,
                records: records,
                commitEvery: commitEvery,
                fetchWaitMaxMilliseconds: FoldConfiguration.defaultFetchWaitMax.milliseconds,
                compression: compression,
                replacements: replacements,
                logger: logger
            )
        }

        /// The simulated stream of the benchmark (the same records on every call).
        static func plan(
            leads: Int,
            eventsPerLead: Int,
            attendeeTopic: String = "attendee.events",
            engagementTopic: String = "engagement.events"
        ) -> SimulationPlan {
            SimulationPlan(
                tenants: BenchTenants.simulated,
                leadCount: leads,
                eventsPerLead: eventsPerLead,
                rates: SimulationRates(outOfOrder: 0.05, duplicate: 0.02),
                seed: 42,
                attendeeTopic: attendeeTopic,
                engagementTopic: engagementTopic
            )
        }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }

        /// Produces the simulated stream to the fold's inputs and, the same bytes in the same order, to the pipe's.
        private func produceStream(
            client: KafkaClientConfiguration,
            topics: FoldConfiguration.Topics,
            pipeInput: String,
            logger: Logger
        ) async throws -> Int {
            let plan = Self.plan(
                leads: leads,
                eventsPerLead: eventsPerLead,
                attendeeTopic: topics.attendee,
                engagementTopic: topics.engagement
            )
            try plan.validate()
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 20),
                logger: logger
            )
            var batch: [OutgoingRecord] = []
            var count = 0
            func flush() async throws {
                let reports = try await producer.send(batch)
                guard reports.allSatisfy(\.isDelivered) else {
                    throw CommandFailure(message: "the stream was not delivered")
                }
                batch.removeAll(keepingCapacity: true)
            }
            for record in plan.records() {
                batch.append(OutgoingRecord(topic: record.topic, key: record.key, value: record.value))
                batch.append(OutgoingRecord(topic: pipeInput, key: record.key, value: record.value))
                count += 1
                if batch.count >= 20_000 { try await flush() }
            }
            try await flush()
            return count
        }

        struct FoldRun {
            var seconds: Double
            var restoredRecords: Int
            var restoreSeconds: Double
            var transactions: Int
        }

        /// Runs a fold until it has folded `inputs` records (0: until its partitions are restored), then stops it:
        /// stopping commits the open transaction and writes snapshots on leaving the group.
        private static func runFold(
            _ configuration: FoldConfiguration,
            until inputs: Int,
            logger: Logger
        ) async throws -> FoldRun {
            let runtime = FoldRuntime(configuration: configuration, logger: logger)
            @Sendable func describe(_ status: FoldStatus) -> String {
                "\(status.inputRecords) of \(inputs) inputs folded, \(status.committedTransactions) transactions, "
                    + "partitions active \(status.activePartitions), restoring \(status.restoringPartitions)"
            }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await runtime.run()
                    return false
                }
                group.addTask {
                    let deadline = ContinuousClock.now + .seconds(600)
                    while true {
                        let status = runtime.status
                        // Every input folded: stopping commits the open transaction (the tail), as the pipe does.
                        if inputs == 0 ? status.isReady : status.inputRecords >= inputs { return true }
                        guard ContinuousClock.now < deadline else {
                            throw CommandFailure(message: "the fold did not finish in 600 s: \(describe(status))")
                        }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                // The fold runs until it is cancelled: ending (or throwing) first means it stopped short.
                guard try await group.next() == true else {
                    throw CommandFailure(message: "the fold stopped by itself: \(describe(runtime.status))")
                }
                group.cancelAll()
                try await group.waitForAll()
            }
            let status = runtime.status
            var seconds = 0.0
            if let first = status.firstInputAt, let last = status.lastCommitAt {
                let elapsed = last - first
                seconds = elapsed.seconds
            }
            return FoldRun(
                seconds: seconds,
                restoredRecords: status.restoredRecords,
                restoreSeconds: status.restoreSeconds,
                transactions: status.committedTransactions
            )
        }

        /// Records in the topics (their end offsets): what the fold wrote.
        private static func recordsWritten(
            to topics: [String],
            partitions: Int,
            client: KafkaClientConfiguration,
            logger: Logger
        ) async throws -> Int64 {
            let consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(client: client, groupId: "bench-watermarks"),
                logger: logger
            )
            let all = topics.flatMap { topic in
                (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }
            }
            let marks = try await consumer.watermarks(all)
            return marks.values.reduce(0) { $0 + $1.high - $1.low }
        }

        static func json(_ fields: KeyValuePairs<String, Any>) -> String {
            let body = fields.map { key, value -> String in
                switch value {
                case let text as String: "\"\(key)\":\"\(text)\""
                case let number as Double: "\"\(key)\":\(String(format: "%.3f", number))"
                default: "\"\(key)\":\(value)"
                }
            }
            return "{" + body.joined(separator: ",") + "}"
        }
    }
}

/// The tenants the benchmarks fold for: the simulation's development tenants, mapped to both CRMs, with the
/// default rules (Participated on, 15-minute settle window).
enum BenchTenants {
    static let simulated = SimulatedTenant.developmentDefaults

    static var directory: TenantDirectory {
        TenantDirectory(
            simulated.enumerated().map { tenantIndex, tenant in
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
                    )
                )
            }
        )
    }
}
