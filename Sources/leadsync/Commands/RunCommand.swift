import ArgumentParser
import Config
import Delivery
import Embedded
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import Observability
import Roles
import ServiceLifecycle
import Simulation
import Synchronization

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every role in one process; with no Kafka configured, the whole embedded pipeline.",
        discussion: """
            Embedded default (the configuration has no kafka.bootstrapServers, as config/dev.yaml): starts \
            librdkafka's mock cluster with the topics, the Marketo and Salesforce sandboxes provisioned as \
            docs/crm-setup.md describes (on free loopback ports; the tenants are pointed at them), the fold and \
            both writers, feeds --leads simulated leads through them (engagement.events 2000 records ahead of \
            attendee.events unless --engagement-ahead/--attendee-ahead say otherwise) with a live progress \
            display, and ends with a summary (events folded, transitions by status, commands, API calls and records \
            per call per CRM, retries, dead letters) and a check that the sandboxes hold exactly the state the fold \
            computed; exit status 1 when they do not. Its state directory is emptied first: the sandboxes start \
            empty too.

            With a Kafka cluster configured: runs the fold and the writers of the configured destinations in one \
            process against it until SIGTERM or SIGINT (for small installations; scale out with the separate \
            `fold` and `writer` roles).

            Either way the configuration is validated for every role (each tenant's CRM section of each of its \
            destinations), and every secret it references is resolved at start-up (all unresolvable ones listed \
            at once).

            Examples:
              leadsync run                        # make run
              leadsync run --leads 10000 --seed 7
              leadsync run --config config/leadsync.yaml
            """
    )

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Embedded: simulated leads.")
    var leads = 2_000

    @Option(help: "Embedded: events per lead.")
    var eventsPerLead = 8

    @Option(help: "Embedded: the simulation's seed (the same seed gives the same events).")
    var seed: UInt64 = 1

    @OptionGroup(title: "Embedded: input topic skew (default: engagement.events 2000 records ahead)")
    var skew: TopicSkewOptions

    @Option(help: "Embedded: partitions of every topic.")
    var partitions = 6

    @Option(help: "Embedded: the longest the run may take, in seconds.")
    var timeout = 900

    @Option(help: "Where state lives (embedded default: .leadsync/run, emptied first).")
    var stateDir: String?

    @Option(help: "Where /metrics, /healthz and /readyz listen, host:port (default: observability.metricsAddress).")
    var metricsAddress: String?

    func run() async throws {
        try await runReportingErrors {
            let config = try configOptions.load(role: .all)
            if config.kafka.cluster == nil {
                try await runEmbedded(config)
            } else {
                try await runAllRoles(config)
            }
        }
    }

    /// The embedded run's default: engagement.events ahead of attendee.events, so the run shows that arrival
    /// order does not change the result (`--engagement-ahead 0` for the stream as generated).
    static let defaultSkew = TopicSkew(leading: .engagement, records: 2_000)

    private func runEmbedded(_ config: LeadSyncConfig) async throws {
        let logger = RoleObservability.bootstrap("leadsync.run", config: config)
        let directory = URL(fileURLWithPath: stateDir ?? ".leadsync/run")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        printLine("leadsync run: embedded pipeline: mock Kafka, Marketo and Salesforce sandboxes, fold, both writers")
        let topicSkew = try skew.skew() ?? Self.defaultSkew
        printLine("  input: \(leads) leads, \(eventsPerLead) events each, \(topicSkew)")
        let pipeline = try await EmbeddedPipeline.start(
            config: config,
            options: EmbeddedPipeline.Options(
                leads: leads,
                eventsPerLead: eventsPerLead,
                seed: seed,
                topicSkew: topicSkew,
                partitions: partitions,
                stateDirectory: directory,
                timeout: .seconds(timeout)
            ),
            logger: logger
        )
        defer { pipeline.shutdown() }
        printLine(
            "  Kafka \(pipeline.client.bootstrapServers.joined(separator: ",")), Marketo "
                + "\(pipeline.config.tenants.compactMap(\.marketo?.baseURL.absoluteString).first ?? "-"), Salesforce "
                + "\(pipeline.config.tenants.compactMap(\.salesforce?.loginURL.absoluteString).first ?? "-")"
        )
        let server = try RoleObservability.server(config: config, override: metricsAddress, logger: logger) {
            let fold = pipeline.fold.status
            return ObservabilityServer.Health(
                isReady: fold.isReady && pipeline.writers.values.allSatisfy { $0.status.isRunning },
                details: ["fold: \(fold.inputRecords) records folded"]
                    + pipeline.writers.map { "writer \($0.key.rawValue): \(WriterProgress.summary($0.value.status))" }
            )
        }
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }

        let display = ProgressDisplay()
        let summary = try await pipeline.run(handlesSignals: true) { progress in display.show(progress.description) }
        display.finish()
        printLine(summary.description)
        if !summary.consistency.isConsistent { throw ExitCode(1) }
    }

    private func runAllRoles(_ config: LeadSyncConfig) async throws {
        let logger = RoleObservability.bootstrap("leadsync.run", config: config)
        guard let cluster = config.kafka.cluster else { return }
        let client = try cluster.clientConfiguration()
        let directory = URL(fileURLWithPath: stateDir ?? config.fold.stateDirectory)
        let fold = FoldRuntime(
            configuration: FoldRole.configuration(
                config: config,
                client: client,
                instanceId: FoldCommand.defaultInstanceId(),
                stateDirectory: directory.appendingPathComponent("fold").path
            ),
            logger: logger
        )
        var writers: [Destination: DeliveryRuntime] = [:]
        for destination in [Destination.marketo, .salesforce]
        where config.tenants.contains(where: { $0.destinations.contains(destination) }) {
            writers[destination] = try WriterRole.runtime(
                for: destination,
                config: config,
                client: client,
                instanceId: FoldCommand.defaultInstanceId(role: "writer-\(destination.rawValue)"),
                directory: directory.appendingPathComponent("writer-\(destination.rawValue)"),
                logger: logger
            )
        }
        let roles = writers
        let server = try RoleObservability.server(config: config, override: metricsAddress, logger: logger) {
            ObservabilityServer.Health(
                isReady: fold.status.isReady && roles.values.allSatisfy { $0.status.isRunning },
                details: ["fold: \(fold.status.inputRecords) records folded"]
                    + roles.map { "writer \($0.key.rawValue): \(WriterProgress.summary($0.value.status))" }
            )
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(
                service: fold,
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup
            ),
            .init(service: server),
        ]
        for writer in writers.values {
            services.append(
                .init(
                    service: writer,
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup
                )
            )
        }
        let servers = client.bootstrapServers.joined(separator: ",")
        printLine("leadsync run: fold and \(writers.count) writer(s) against Kafka \(servers)")
        try await ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        ).run()
    }
}

/// Progress on one updating line on a terminal, a line every few seconds otherwise (logs, CI).
final class ProgressDisplay: Sendable {
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private let lastLine = Mutex<ContinuousClock.Instant?>(nil)

    func show(_ text: String) {
        if isTerminal {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text).utf8))
            return
        }
        let due = lastLine.withLock { last -> Bool in
            guard last.map({ ContinuousClock.now - $0 >= .seconds(5) }) ?? true else { return false }
            last = .now
            return true
        }
        if due { printLine(text) }
    }

    func finish() {
        if isTerminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
