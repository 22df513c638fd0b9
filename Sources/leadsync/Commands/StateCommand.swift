import ArgumentParser
import Config
import Fold
import Foundation
import LeadModel

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
        @Option(help: "The fold's state directory (as `leadsync fold --state-dir`); its snapshots are read from {state-dir}/{group}.")
        var stateDir: String?
        @Option(help: "The fold's consumer group, for --state-dir (default: fold.groupId of the configuration).")
        var group: String?

        func run() async throws {
            try await runReportingErrors {
                guard let key = LeadKey(tenant: tenant, email: email) else {
                    throw CommandFailure(message: "'\(tenant)' / '\(email)' is not a valid tenant and email")
                }
                let config = try configOptions.load()
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
                if rules == nil { printLine("note: tenant \(key.tenant) is not configured: outcomes use the default rules") }
                printLine(Self.render(state, key: key, rules: rules ?? TenantRules(tenant: key.tenant)))
            }
        }

        static func render(_ state: LeadState, key: LeadKey, rules: TenantRules) -> String {
            var lines = ["lead \(key)"]
            if let userId = state.userId { lines.append("  user id: \(userId)") }
            if let profile = state.profile {
                let fields = [
                    ("firstName", profile.firstName), ("lastName", profile.lastName), ("company", profile.company),
                    ("title", profile.title), ("country", profile.country), ("phone", profile.phone),
                ].compactMap { name, value in value.map { "\(name)=\($0)" } }
                let custom = profile.custom.sorted { $0.key < $1.key }.map { "custom.\($0.key)=\($0.value)" }
                lines.append("  profile: \((fields + custom).joined(separator: ", "))")
            }
            lines.append("statuses:")
            for membership in state.memberships {
                let how = membership.isDerived ? "derived from engagement" : "by event"
                lines.append(
                    "  \(membership.virtualEventId): \(membership.status.name) (step \(membership.status.step)) "
                        + "since \(membership.occurredAt), \(how) #\(membership.eventDigest)"
                )
            }
            for timeline in state.timelines {
                lines.append("timeline of \(timeline.virtualEventId) (occurredAt order; #event id digest):")
                if let base = timeline.base {
                    let result = base.result.map { "\($0.status.name) since \($0.occurredAt)" } ?? "no status"
                    lines.append(
                        "  older events up to \(base.horizon) folded into the base: \(result) "
                            + "(events at or before it are beyond the horizon)"
                    )
                }
                for (entry, outcome, status) in timeline.outcomes(rules: rules) {
                    let what: String =
                        switch entry.kind {
                        case .status(let status, let granular):
                            granular.map { "\(status.name) (\($0.name))" } ?? status.name
                        case .engagement: "engagement"
                        }
                    lines.append(
                        "  \(entry.occurredAt)  #\(entry.eventDigest)  \(what)  \(outcome)  -> \(status?.name ?? "none")"
                    )
                }
            }
            lines.append("engagement:")
            for record in state.engagements {
                let activity =
                    switch record.activity {
                    case .emitted: "custom activity sent"
                    case .pending(let pending):
                        pending.sessionEnded ? "custom activity due (session ended)" : "custom activity pending"
                    }
                lines.append(
                    "  \(record.virtualEventId) / \(record.entryId): latest snapshot \(record.occurredAt), \(activity)"
                )
            }
            return lines.joined(separator: "\n")
        }
    }
}
