import ArgumentParser
import Config
import Fold
import Foundation
import LeadModel
import Logging
import Reconciliation

/// Options of both `leadsync reconcile` subcommands.
struct ReconcileOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var kafka: KafkaConnectionOptions

    @Option(help: "The tenant to reconcile.")
    var tenant: String

    @Option(
        name: .customLong("event"),
        help: "Only this virtual event (repeat for several; default: every mapped event)."
    )
    var events: [String] = []

    @Flag(help: "Produce corrective member status commands to <dest>.commands for the writers to deliver.")
    var apply = false

    @Option(
        help: "The run id the corrective commands' ids derive from (default: a new UUID). Reuse it to repeat a run."
    )
    var runId: String?

    @Flag(help: "The report as one JSON object instead of text (progress lines then go to standard error).")
    var json = false

    @Option(help: "Differences listed per event.")
    var limit = 20

    @Option(help: "A prefix for every topic name (for several environments on one cluster).")
    var topicPrefix = ""

    @Option(help: "Seconds between Marketo export status polls (Marketo updates a status at most once a minute).")
    var pollInterval = 30

    @Flag(help: "Compare members only, not engagement records and custom activities.")
    var membersOnly = false

    @Option(help: "Marketo: read custom activities dated this many days back (dated at the engagement snapshots).")
    var activityDays = 30

    func run(_ destination: Destination) async throws {
        var status: Int32 = 0
        try await runReportingErrors {
            let config = try configOptions.load()
            guard let tenantSettings = config.tenants.first(where: { $0.tenant == tenant }) else {
                throw CommandFailure(
                    message: "no tenant \(tenant) in the configuration (tenants: "
                        + config.tenants.map(\.tenant).joined(separator: ", ") + ")"
                )
            }
            guard tenantSettings.destinations.contains(destination) else {
                throw CommandFailure(message: "tenant \(tenant) does not deliver to \(destination.rawValue)")
            }
            let logger = makeLogger("leadsync.reconcile")
            let client = try kafka.clientConfiguration(clientId: "leadsync-reconcile", config: config)
            let quiet = json
            let progress: @Sendable (String) -> Void = { line in
                if quiet {
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                } else {
                    printLine(line)
                }
            }
            progress("reading the fold's committed state")
            let states = try await LeadStateLookup.committedStates(
                changelog: topicPrefix + FoldConfiguration.Topics.standard.changelog,
                client: client,
                logger: logger
            )
            progress("\(states.count) leads in the fold's state; reading \(destination.rawValue)")
            let reconciler = Reconciler(
                tenant: tenantSettings,
                destination: destination,
                virtualEventIds: events.isEmpty ? nil : Set(events)
            )
            let report: ReconciliationReport
            switch destination {
            case .marketo:
                let reader = try MarketoMemberReader(
                    tenant: tenantSettings,
                    logger: logger,
                    pollInterval: .seconds(max(1, pollInterval))
                )
                let engagement = MarketoEngagementReader(
                    client: reader.client,
                    since: Date().addingTimeInterval(-Double(max(1, activityDays)) * 86_400),
                    customObject: tenantSettings.marketo?.customObject ?? .standard,
                    activityType: tenantSettings.marketo?.activityType ?? .standard
                )
                report = try await reconciler.reconcile(
                    states: states,
                    reader: reader,
                    engagementReader: membersOnly ? nil : engagement,
                    progress: progress
                )
            case .salesforce:
                let reader = try SalesforceMemberReader(tenant: tenantSettings, logger: logger)
                let engagement = SalesforceEngagementReader(
                    client: reader.client,
                    names: tenantSettings.salesforce?.engagement ?? .standard
                )
                report = try await reconciler.reconcile(
                    states: states,
                    reader: reader,
                    engagementReader: membersOnly ? nil : engagement,
                    progress: progress
                )
            }
            printLine(json ? report.json(limit: limit) : report.text(limit: limit))
            if apply {
                let runId = runId ?? UUID().uuidString.lowercased()
                let commands = CorrectiveCommands.commands(for: report, tenant: tenantSettings, runId: runId)
                let topics = FoldConfiguration.Topics.standard.commands.mapValues { topicPrefix + $0 }
                let produced = try await CorrectiveCommandPublisher(client: client, topics: topics, logger: logger)
                    .publish(commands)
                let topic = topics[destination] ?? "?"
                progress("applied: \(produced) corrective command(s) produced to \(topic) (run id \(runId))")
                let unrepairable = CorrectiveCommands.unrepairable(in: report)
                if unrepairable > 0 {
                    progress("\(unrepairable) Marketo member(s) above the fold's step cannot be moved down by the API")
                }
            }
            status = report.exitStatus
        }
        if status != 0 { throw ExitStatus.difference.exitCode }
    }
}
