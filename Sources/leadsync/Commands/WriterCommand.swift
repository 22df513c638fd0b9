import ArgumentParser
import Config
import Delivery
import Foundation
import Kafka
import LeadModel
import Logging
import Observability
import Preflight
import Roles
import ServiceLifecycle

struct WriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writer",
        abstract: "Run a writer role: deliver the fold's commands to Marketo or Salesforce.",
        discussion: """
            A writer consumes <dest>.commands and <dest>.commands.retry as the consumer group \
            writers.<dest>.groupId, groups each tenant's commands into the fewest API calls (linger \
            writers.<dest>.linger), keeps every tenant inside its share of the API limits, retries transient \
            failures through the retry topic (capped exponential backoff with jitter, writers.<dest>.retry) and \
            dead-letters permanent ones to <dest>.commands.dlq with the reason in headers. Offsets are committed \
            only after a command was delivered or routed. At start-up it resolves every secret it needs (all \
            unresolvable ones listed at once) and runs `leadsync doctor`'s checks of its CRM: a failure that \
            would dead-letter every command of a kind stops it (--skip-preflight starts it anyway); other \
            failures are logged. A spent daily quota parks that subscription's tenants until it resets; other \
            tenants keep flowing. The ledgers (per-lead order, custom activities sent, commands routed) live in \
            <dest>.commands.ledger, loaded per partition before its commands are delivered; --state-dir holds \
            only the lead-id caches. Stops on SIGTERM or SIGINT after finishing the calls in flight and \
            committing.

            Examples:
              leadsync writer marketo --config config/leadsync.yaml
              leadsync writer salesforce --dev-cluster .leadsync/dev-cluster.json --state-dir /var/lib/leadsync
            """,
        subcommands: [MarketoWriterCommand.self, SalesforceWriterCommand.self]
    )
}

/// Options both writer roles take.
struct WriterOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var kafka: KafkaConnectionOptions

    @Option(
        help: ArgumentHelp(
            "This instance's stable name, in logs (the ledgers are kept by partition, not by instance). Default: "
                + "$LEADSYNC_INSTANCE_ID, else $HOSTNAME (the pod name), else {host name}-writer-<dest>."
        )
    )
    var instanceId: String?

    @Option(help: "The consumer group (default: writers.<dest>.groupId of the configuration).")
    var group: String?

    @Option(help: "Where the lead-id caches live (default: <fold.stateDirectory>/../writer-<dest>).")
    var stateDir: String?

    @Option(help: "Seconds the group waits for a member that stopped answering before its partitions move.")
    var sessionTimeout = 10

    @Option(help: "A prefix for every topic name (for several environments on one cluster).")
    var topicPrefix = ""

    @Option(help: "Seconds between progress lines on standard output (0: none).")
    var progressInterval = 30

    @Option(help: "Where /metrics, /healthz and /readyz listen, host:port (default: observability.metricsAddress).")
    var metricsAddress: String?

    @Flag(help: "Start without checking the CRM setup (leadsync doctor's checks); secrets are still resolved.")
    var skipPreflight = false

    func validate() throws {
        guard (6...300).contains(sessionTimeout) else {
            throw ValidationError("--session-timeout must be between 6 and 300 seconds (Kafka's group limits)")
        }
    }

    /// Runs the writer of `destination` until SIGTERM/SIGINT.
    func run(_ destination: Destination) async throws {
        try await runReportingErrors {
            let config = try configOptions.load(role: .writer(destination))
            let settings = destination == .marketo ? config.writers.marketo : config.writers.salesforce
            let client = try kafka.clientConfiguration(
                clientId: "leadsync-writer-\(destination.rawValue)",
                config: config
            )
            let logger = RoleObservability.bootstrap("leadsync.writer.\(destination.rawValue)", config: config)
            let stateDirectory = URL(
                fileURLWithPath: stateDir
                    ?? URL(fileURLWithPath: config.fold.stateDirectory).deletingLastPathComponent()
                    .appendingPathComponent("writer-\(destination.rawValue)").path
            )
            let tenants = config.tenants.filter { $0.destinations.contains(destination) }.map(\.tenant)
            printLine(
                "leadsync writer \(destination.rawValue): group \(group ?? settings.groupId), "
                    + "\(tenants.count) tenant(s) [\(tenants.joined(separator: ", "))], "
                    + "Kafka \(client.bootstrapServers.joined(separator: ",")), state \(stateDirectory.path)"
            )
            try await preflight(destination, config: config, logger: logger)
            let runtime = try WriterRole.runtime(
                for: destination,
                config: config,
                client: client,
                instanceId: instanceId ?? FoldCommand.defaultInstanceId(role: "writer-\(destination.rawValue)"),
                directory: stateDirectory,
                groupId: group,
                topicPrefix: topicPrefix,
                sessionTimeout: .seconds(sessionTimeout),
                logger: logger
            )
            let server = try RoleObservability.server(config: config, override: metricsAddress, logger: logger) {
                let status = runtime.status
                return ObservabilityServer.Health(
                    isReady: status.isRunning,
                    details: ["writer \(destination.rawValue): \(WriterProgress.summary(status))"]
                )
            }
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(
                    service: runtime,
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup
                ),
                .init(service: server),
            ]
            if progressInterval > 0 {
                services.append(
                    .init(
                        service: WriterProgress(
                            runtime: runtime,
                            destination: destination,
                            interval: .seconds(progressInterval)
                        )
                    )
                )
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
            printLine("leadsync writer \(destination.rawValue): stopped; \(WriterProgress.summary(runtime.status))")
        }
    }
}

extension WriterOptions {
    /// `leadsync doctor`'s checks of the writer's CRM: every warning and failure is logged; a blocking failure
    /// stops the writer before it consumes anything.
    func preflight(_ destination: Destination, config: LeadSyncConfig, logger: Logger) async throws {
        let name = "leadsync writer \(destination.rawValue)"
        guard !skipPreflight else {
            logger.warning("preflight skipped (--skip-preflight): the CRM setup is not checked")
            printLine("\(name): preflight skipped (--skip-preflight)")
            return
        }
        let report = await Preflight.run(config: config, destinations: [destination], logger: logger)
        try Preflight.requireNoBlockingFailure(report, destination: destination, logger: logger)
        printLine("\(name): preflight: \(report.summary)" + (report.passed ? "" : "; see the log or leadsync doctor"))
    }
}

struct MarketoWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketo",
        abstract:
            "Deliver marketo.commands: leads, program member statuses, custom objects and activities, bulk imports."
    )

    @OptionGroup var options: WriterOptions

    func run() async throws {
        try await options.run(.marketo)
    }
}

struct SalesforceWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesforce",
        abstract:
            "Deliver salesforce.commands: leads, campaign members by external id, engagement records, Bulk API 2.0."
    )

    @OptionGroup var options: WriterOptions

    func run() async throws {
        try await options.run(.salesforce)
    }
}

/// Prints a writer's progress line every interval until shutdown.
struct WriterProgress: Service {
    let runtime: DeliveryRuntime
    let destination: Destination
    let interval: Duration

    func run() async throws {
        var last = runtime.status
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            let status = runtime.status
            guard status != last else { continue }
            last = status
            printLine("leadsync writer \(destination.rawValue): \(Self.summary(status))")
        }
    }

    static func summary(_ status: DeliveryStatus) -> String {
        var text =
            "\(status.consumed) consumed, \(status.delivered) delivered, \(status.skipped) skipped, "
            + "\(status.superseded + status.stale) superseded, \(status.retried) retried, "
            + "\(status.deadLettered) dead-lettered, \(status.unfinished) unfinished, \(status.delayed) waiting to "
            + "retry"
        for (subscription, until) in status.parkedSubscriptions.sorted(by: { $0.key < $1.key }) {
            text += "; \(subscription) parked until \(until)"
        }
        return text
    }
}
