import ArgumentParser
import Config
import Fold
import Foundation
import LeadModel
import Operations

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect the fold's lead state.",
        subcommands: [Get.self]
    )

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a lead's statuses, its events in event time with what each did, and its engagement.",
            discussion: """
                Reads the lead's partition of leadsync.state.changelog as a restore would (committed state only). \
                Pass --state-dir (the fold's state directory, as given to `leadsync fold`) to start from the fold's \
                local snapshot instead of the changelog's beginning.

                The timeline of each virtual event lists the lead's status events and the engagements that can \
                derive Participated, in occurredAt order, each with what it did when folded in that order (applied, \
                re-registration, equal step, stale, derived, ...) and the status after it; the status is the last \
                line's. The outcomes are computed with the tenant's rules from the configuration.

                Example:
                  leadsync state get acme Jane.Doe@Example.com --dev-cluster .leadsync/dev-cluster.json
                """
        )

        @Argument(help: "The tenant.") var tenant: String
        @Argument(help: "The lead's email (any case; it is lowercased and trimmed).") var email: String
        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var kafka: KafkaConnectionOptions
        @Option(help: "A prefix of every topic name, as given to `leadsync fold`.") var topicPrefix = ""
        @Option(
            help: "The fold's state directory (as `leadsync fold --state-dir`); snapshots in {state-dir}/{group}."
        )
        var stateDir: String?
        @Option(help: "The fold's consumer group, for --state-dir (default: fold.groupId of the configuration).")
        var group: String?

        func run() async throws {
            try await runReportingErrors {
                guard let key = LeadKey(tenant: tenant, email: email) else {
                    throw CommandFailure(message: "'\(tenant)' / '\(email)' is not a valid tenant and email")
                }
                let config = try configOptions.load(role: .fold, checkingSecrets: false)
                let client = try kafka.clientConfiguration(clientId: "leadsync-state", config: config)
                let changelog = topicPrefix + FoldConfiguration.Topics.standard.changelog
                guard
                    let state = try await LeadStateLookup.committedState(
                        of: key,
                        changelog: changelog,
                        client: client,
                        snapshotDirectory: stateDir.map { directory in
                            URL(fileURLWithPath: directory)
                                .appendingPathComponent(group ?? config.fold.groupId).path
                        },
                        logger: makeLogger("leadsync.state", level: .critical)
                    )
                else {
                    printLine("no state for \(key) in \(changelog)")
                    throw ExitCode(1)
                }
                let rules = config.tenantDirectory.rules(for: key.tenant)
                if rules == nil {
                    printLine("note: tenant \(key.tenant) is not configured: outcomes use the default rules")
                }
                printLine(LeadStateReport.render(state, key: key, rules: rules ?? TenantRules(tenant: key.tenant)))
            }
        }
    }
}
