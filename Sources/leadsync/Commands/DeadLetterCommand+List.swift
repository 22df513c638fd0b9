import ArgumentParser
import Operations

extension DeadLetterCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List dead letters, one line each: where, when, tenant, class/code, origin, reason.",
            discussion: """
                Prints one line per matching dead letter on standard output:
                  <dlq topic>/<partition>/<offset>  <dead-lettered at>  <tenant>
                    <class>/<code>  from <original>  <message>
                (on one line), and a summary (read, matching, by class/code) on standard error. The payload is not \
                printed (it holds email addresses): use `show` for that. Within a partition dead letters come in \
                order; partitions interleave. Exits 0 whether or not anything matched.

                Examples:
                  leadsync dlq list
                  leadsync dlq list --topic marketo --error-class permanent --since 2026-11-24
                  leadsync dlq list --tenant acme --error-code unmapped_event --limit 20
                  leadsync dlq list --topic marketo --json | jq -r .errorCode | sort | uniq -c
                """
        )

        @OptionGroup var selection: DeadLetterSelectionOptions
        @OptionGroup var connection: DeadLetterConnectionOptions

        @Option(help: "Stop after this many matching dead letters.")
        var limit: Int?

        @Flag(help: "One JSON object per line instead of text (every field, the headers and the value).")
        var json = false

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            try await runReportingErrors {
                let client = try connection.clientConfiguration()
                let reader = try DeadLetterReader(
                    client: client,
                    logger: makeLogger("leadsync.dlq", level: .critical),
                    settings: connection.settings
                )
                let filter = try selection.filter()
                var shown = 0
                var byReason: [String: Int] = [:]
                let showsProgress = connection.showsProgress
                let summary = try await reader.read(
                    selection.resolvedTopics(),
                    matching: filter,
                    progress: { progress in
                        guard showsProgress, progress.scanned < Int(progress.total) else { return }
                        printProgress(
                            "read \(progress.scanned) of at most \(progress.total) dead letters, \(progress.matched) "
                                + "matching"
                        )
                    }
                ) { letter in
                    printLine(json ? letter.jsonLine : letter.summaryLine)
                    byReason["\(letter.errorClass ?? "?")/\(letter.errorCode ?? "?")", default: 0] += 1
                    shown += 1
                    return limit.map { shown < $0 } ?? true
                }
                let partitions = summary.extents.filter { $0.count > 0 }.count
                printProgress(
                    "\(shown) dead letters listed; \(summary.scanned) read from \(partitions) non-empty partitions of "
                        + "\(Set(summary.extents.map(\.partition.topic)).sorted().joined(separator: ", "))"
                        + (summary.stoppedEarly ? " (stopped at --limit)" : "")
                )
                for (reason, count) in byReason.sorted(by: {
                    $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
                }) {
                    printProgress("  \(count)\t\(reason)")
                }
            }
        }
    }
}
