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
            abstract: "Show a lead's statuses, its applied and rejected transitions, and its engagement.",
            discussion: """
                Reads the lead's partition of leadsync.state.changelog as a restore would (committed state only). \
                Pass --state-dir to start from a fold's local snapshot instead of the changelog's beginning.

                Example:
                  leadsync state get acme Jane.Doe@Example.com --dev-cluster .leadsync/dev-cluster.json
                """
        )

        @Argument(help: "The tenant.") var tenant: String
        @Argument(help: "The lead's email (any case; it is lowercased and trimmed).") var email: String
        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var kafka: KafkaConnectionOptions
        @Option(help: "A prefix of every topic name, as given to `leadsync fold`.") var topicPrefix = ""
        @Option(help: "A fold's state directory and group: {stateDirectory}/{groupId}.") var stateDir: String?

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
                        snapshotDirectory: stateDir,
                        logger: makeLogger("leadsync.state", level: .critical)
                    )
                else {
                    printLine("no state for \(key) in \(changelog)")
                    throw ExitCode(1)
                }
                printLine(Self.render(state, key: key))
            }
        }

        static func render(_ state: LeadState, key: LeadKey) -> String {
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
                lines.append(
                    "  \(membership.virtualEventId): \(membership.status.name) (step \(membership.status.step)) "
                        + "since \(membership.occurredAt) by event \(membership.eventId)"
                )
            }
            lines.append("history (oldest first, last \(LeadState.historyLimit)):")
            for entry in state.history {
                let outcome =
                    switch entry.outcome {
                    case .applied: "applied"
                    case .derived: "derived from engagement"
                    case .rejected(let reason): "rejected: \(reason.code)"
                    }
                lines.append("  \(entry.occurredAt)  \(entry.virtualEventId)  \(entry.status.name)  \(outcome)")
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
