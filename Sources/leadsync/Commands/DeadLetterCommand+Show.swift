import ArgumentParser
import Operations

extension DeadLetterCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show dead letters in full: the reason, the origin, the key, the headers and the payload.",
            discussion: """
                Name dead letters by reference (as `list` prints them: topic/partition/offset), or select them with \
                the same filters as `list` (then at most --limit of them). The payload is printed as it is, JSON \
                indented: it holds email addresses and profile fields, so mind where you paste it.

                Examples:
                  leadsync dlq show leadsync.events.dlq/3/1042
                  leadsync dlq show marketo.commands.dlq/0/17 marketo.commands.dlq/0/18
                  leadsync dlq show --topic salesforce --error-code INVALID_FIELD --limit 3
                  leadsync dlq show --tenant acme --since 1h --json
                """
        )

        @Argument(help: ArgumentHelp("Dead letters to show, as topic/partition/offset.", valueName: "reference"))
        var references: [String] = []

        @OptionGroup var selection: DeadLetterSelectionOptions
        @OptionGroup var connection: DeadLetterConnectionOptions

        @Option(help: "With filters instead of references: show at most this many.")
        var limit = 10

        @Flag(help: "One JSON object per line instead of text.")
        var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
            for reference in references {
                do {
                    _ = try DeadLetterReference(parsing: reference)
                } catch {
                    throw ValidationError(error.message)
                }
            }
        }

        func run() async throws {
            try await runReportingErrors {
                let client = try connection.clientConfiguration()
                let reader = try DeadLetterReader(
                    client: client,
                    logger: makeLogger("leadsync.dlq", level: .critical),
                    settings: connection.settings
                )
                var letters: [DeadLetterRecord] = []
                if !references.isEmpty {
                    letters = try await reader.records(at: try references.map { try DeadLetterReference(parsing: $0) })
                } else {
                    _ = try await reader.read(selection.resolvedTopics(), matching: try selection.filter()) { letter in
                        letters.append(letter)
                        return letters.count < limit
                    }
                    if letters.isEmpty {
                        printProgress("no dead letter matches")
                        throw ExitStatus.difference.exitCode
                    }
                }
                for (index, letter) in letters.enumerated() {
                    if json {
                        printLine(letter.jsonLine)
                    } else {
                        if index > 0 { printLine("") }
                        printLine(letter.detailText)
                    }
                }
            }
        }
    }
}
