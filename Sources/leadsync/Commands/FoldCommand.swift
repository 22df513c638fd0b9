import ArgumentParser
import Config
import Fold
import Foundation
import Kafka
import Observability
import Roles
import ServiceLifecycle

struct FoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold",
        abstract: "Run the fold role: fold attendee and engagement events into lead state and emit CRM commands.",
        discussion: """
            Joins the fold consumer group on attendee.events, engagement.events and leadsync.repartition, restores \
            the state of each assigned partition (local snapshot + leadsync.state.changelog) before folding it, and \
            writes changelog records, commands (marketo.commands, salesforce.commands) and dead letters \
            (leadsync.events.dlq) in Kafka transactions with the consumed offsets. Scale out by running more \
            instances with the same group (at most one per partition). Stops on SIGTERM or SIGINT after \
            committing, writing snapshots and leaving the group.

            Examples:
              leadsync fold --config config/leadsync.yaml
              leadsync fold --dev-cluster .leadsync/dev-cluster.json --instance-id fold-1
            """
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var kafka: KafkaConnectionOptions

    @Option(
        help: ArgumentHelp(
            "This instance's stable name; the transactional id is {group}-{instance-id}. Default: "
                + "$LEADSYNC_INSTANCE_ID, else $HOSTNAME (the pod name), else {host name}-fold. A second fold on one "
                + "host "
                + "needs its own."
        )
    )
    var instanceId: String?

    @Option(help: "The consumer group (default: fold.groupId of the configuration).")
    var group: String?

    @Option(help: "Where partition state snapshots are kept (default: fold.stateDirectory of the configuration).")
    var stateDir: String?

    @Option(help: "A prefix for every topic name (for several environments on one cluster).")
    var topicPrefix = ""

    @Option(help: "Partition state snapshot interval in seconds.")
    var snapshotInterval = 60

    @Option(help: "Group session timeout in seconds: how soon a crashed instance's partitions move to another.")
    var sessionTimeout = 10

    @Option(help: "Where /metrics, /healthz and /readyz listen, host:port (default: observability.metricsAddress).")
    var metricsAddress: String?

    func run() async throws {
        try await runReportingErrors {
            let config = try configOptions.load(role: .fold)
            let client = try kafka.clientConfiguration(clientId: "leadsync-fold", config: config)
            let logger = RoleObservability.bootstrap("leadsync.fold", config: config)
            let configuration = FoldRole.configuration(
                config: config,
                client: client,
                instanceId: instanceId ?? Self.defaultInstanceId(),
                groupId: group,
                stateDirectory: stateDir,
                topicPrefix: topicPrefix,
                snapshotInterval: .seconds(snapshotInterval),
                sessionTimeout: .seconds(sessionTimeout)
            )
            printLine(
                "leadsync fold: group \(configuration.groupId), transactional id \(configuration.transactionalId), "
                    + "\(config.tenants.count) tenant(s), Kafka \(client.bootstrapServers.joined(separator: ","))"
            )
            let runtime = FoldRuntime(configuration: configuration, logger: logger)
            let server = try RoleObservability.server(config: config, override: metricsAddress, logger: logger) {
                let status = runtime.status
                return ObservabilityServer.Health(
                    isReady: status.isReady,
                    details: [
                        "fold: \(status.activePartitions.count) partitions active, "
                            + "\(status.restoringPartitions.count) restoring, \(status.inputRecords) records folded"
                    ]
                )
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [
                        .init(
                            service: runtime,
                            successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup
                        ),
                        .init(service: server),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
            let status = runtime.status
            printLine(
                "leadsync fold: stopped after \(status.inputRecords) input records in "
                    + "\(status.committedTransactions) transactions"
            )
        }
    }

    /// This host's default instance id of `role` (``RoleInstance/defaultId(role:environment:hostName:)``): stable
    /// across restarts.
    static func defaultInstanceId(role: String = "fold") -> String {
        RoleInstance.defaultId(
            role: role,
            environment: ProcessInfo.processInfo.environment,
            hostName: ProcessInfo.processInfo.hostName
        )
    }
}
