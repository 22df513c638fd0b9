import Foundation
import Kafka
import Operations
import TestSupport
import Testing

@Suite("leadsync dlq as a process against the mock cluster", .serialized)
struct DeadLetterCommandLineTests {
    private func kafka() throws -> [String] {
        ["--bootstrap-servers", try OperationsHarness.shared().bootstrapServers, "--progress-interval", "0"]
    }

    @Test("help: every subcommand explains itself with examples")
    func help() async throws {
        let root = try LeadSyncBinary.run(["dlq", "--help"])
        #expect(root.status == 0)
        for text in ["list", "show", "replay", "leadsync.events.dlq", "Examples:", "docs/runbook.md"] {
            #expect(root.output.contains(text), "dlq --help mentions \(text)")
        }
        let replay = try LeadSyncBinary.run(["dlq", "replay", "--help"])
        for text in ["--replay-id", "--dry-run", "--rate", "--limit", "--all", "--since", "--tenant", "Examples:"] {
            #expect(replay.output.contains(text), "dlq replay --help mentions \(text)")
        }
    }

    @Test("list and show: lines on standard output, a summary on standard error, the payload only in show")
    func listAndShow() async throws {
        let topics = try OperationsHarness.makeTopics("cli-list")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme", "globex"], perTenant: 2)
        let list = try LeadSyncBinary.run(
            ["dlq", "list", "--topic", topics.commandsDeadLetter, "--tenant", "acme"] + kafka()
        )
        #expect(list.status == 0, "\(list.errorOutput)")
        let lines = list.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("  acme  permanent/1013  from \(topics.commands)/") })
        #expect(!list.output.contains("@acme.example"), "no email in the list")
        #expect(list.errorOutput.contains("2 dead letters listed; 4 read"))

        let reference = try #require(lines.first?.split(separator: " ").first.map(String.init))
        let show = try LeadSyncBinary.run(["dlq", "show", reference] + kafka())
        #expect(show.status == 0, "\(show.errorOutput)")
        #expect(show.output.contains("dead letter     \(reference)"))
        #expect(show.output.contains("error code      1013"))
        #expect(show.output.contains("\n    \"tenant\": \"acme\",\n"))
    }

    @Test("replay: a dry run, the replay, and the same id again, with summaries")
    func replay() async throws {
        let topics = try OperationsHarness.makeTopics("cli-replay")
        _ = try await OperationsHarness.seedCommandDeadLetters(topics, tenants: ["acme"], perTenant: 3)
        let arguments =
            ["dlq", "replay", "--topic", topics.commandsDeadLetter, "--error-code", "1013", "--replay-id", "cli-1"]
            + (try kafka())
        let before = try await OperationsHarness.ends(topics.commands)

        let dry = try LeadSyncBinary.run(arguments + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.errorOutput)")
        #expect(dry.output.contains("dry run of replay cli-1: nothing was published"))
        #expect(dry.output.components(separatedBy: "would replay \(topics.commandsDeadLetter)/").count == 4)
        #expect(try await OperationsHarness.ends(topics.commands) == before)

        let real = try LeadSyncBinary.run(arguments)
        #expect(real.status == 0, "\(real.errorOutput)")
        #expect(real.output.contains("published                  3"))

        let again = try LeadSyncBinary.run(arguments)
        #expect(again.status == 0)
        #expect(again.output.contains("already replayed (this id) 3"))
        #expect(again.output.contains("published                  0"))
        let after = try await OperationsHarness.ends(topics.commands)
        #expect(zip(after, before).map { $0 - $1 }.reduce(0, +) == 3)
    }

    @Test("precise errors: no filter, a bad time, a bad reference, an unknown topic")
    func errors() async throws {
        let noFilter = try LeadSyncBinary.run(["dlq", "replay", "--replay-id", "x"] + kafka())
        #expect(noFilter.status == 64)
        #expect(noFilter.errorOutput.contains("or pass --all"))

        let badTime = try LeadSyncBinary.run(["dlq", "list", "--since", "yesterday"] + kafka())
        #expect(badTime.status == 64)
        #expect(badTime.errorOutput.contains("'yesterday' is not a time"))

        let badReference = try LeadSyncBinary.run(["dlq", "show", "marketo.commands.dlq/x"] + kafka())
        #expect(badReference.status == 64)
        #expect(badReference.errorOutput.contains("expected topic/partition/offset"))

        let unknown = try LeadSyncBinary.run(["dlq", "list", "--topic", "no-such.dlq"] + kafka())
        #expect(unknown.status == 2)
        #expect(unknown.errorOutput.contains("the cluster has no topic 'no-such.dlq'"))
    }
}
