import ArgumentParser
import Basics
import Operations

extension DeadLetterCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-publish dead letters to the topic and partition they came from, once per replay id.",
            discussion: """
                Each matching dead letter is re-published to its leadsync.original.topic and \
                leadsync.original.partition with its original key, value and headers, without the error headers \
                (so it starts a fresh retry budget), and with leadsync.replay.id, leadsync.replay.source \
                (the dead letter's topic/partition/offset) and leadsync.replay.at. Within a target partition, dead \
                letters are replayed in the order of their original offsets, so a lead's commands keep their order.

                Once per replay id: before publishing, the target partitions are read (from just after the oldest \
                original offset) for records carrying the same replay id, and the dead letters they name are \
                skipped. A run that crashed or was interrupted can be run again with the same id and completes the \
                rest; a second run of a finished replay publishes nothing. Records a replay publishes that fail \
                again are dead-lettered with the replay id and never replayed again by that id: fix the cause and use \
                a new id.

                Fix the cause first (a tenant or event mapping added and the fold restarted, a CRM field or status \
                created), then replay with --dry-run, then for real. Progress goes to standard error every \
                --progress-interval seconds; a summary at the end. Exits 1 if any record could not be published \
                (run again with the same id to retry exactly those).

                Examples:
                  leadsync dlq replay --topic events --error-code unmapped_event \\
                      --tenant acme --replay-id acme-summit-mapping --dry-run
                  leadsync dlq replay --topic events --error-code unmapped_event \\
                      --tenant acme --replay-id acme-summit-mapping --rate 200
                  leadsync dlq replay --topic marketo --error-class transient \\
                      --since 2026-11-24T06:00:00Z --until 2026-11-24T09:00:00Z \\
                      --replay-id marketo-outage-1124 --limit 1000
                  leadsync dlq replay --topic events --all --replay-id rebuild-1125 --dry-run
                """
        )

        @OptionGroup var selection: DeadLetterSelectionOptions
        @OptionGroup var connection: DeadLetterConnectionOptions

        @Option(
            help: ArgumentHelp(
                "The replay's id: a dead letter is re-published at most once per id. Name the fix (acme-mapping-1124).",
                valueName: "id"
            )
        )
        var replayId: String

        @Flag(help: "Read, filter and check what was replayed before; print the plan; publish nothing.")
        var dryRun = false

        @Option(help: "The most records published per second (0: no limit).")
        var rate: Double = 100

        @Option(help: "Publish at most this many records in this run (the rest stay for a later run with the same id).")
        var limit: Int?

        @Flag(help: "Replay without any filter: every dead letter of the selected topics.")
        var all = false

        @Option(help: "With --dry-run: list at most this many planned records.")
        var showPlanned = 50

        func validate() throws {
            do throws(DeadLetterError) {
                _ = try options()
            } catch {
                throw ValidationError(error.message)
            }
            guard rate >= 0 else { throw ValidationError("--rate must be 0 (no limit) or a positive number") }
            let hasFilter =
                !selection.tenants.isEmpty || !selection.errorClasses.isEmpty || !selection.errorCodes.isEmpty
                || !selection.originalTopics.isEmpty || selection.since != nil || selection.until != nil
            if !hasFilter && !all {
                let topics = selection.resolvedTopics().joined(separator: ", ")
                throw ValidationError(
                    "replay without a filter takes every dead letter of \(topics); "
                        + "narrow it with --tenant, --error-class, --error-code, --original-topic, --since or --until, "
                        + "or pass --all"
                )
            }
            if hasFilter && all { throw ValidationError("--all cannot be combined with filters") }
        }

        private func options() throws(DeadLetterError) -> DeadLetterReplayOptions {
            try DeadLetterReplayOptions(
                replayId: replayId,
                isDryRun: dryRun,
                recordsPerSecond: rate > 0 ? rate : nil,
                limit: limit
            )
        }

        func run() async throws {
            try await runReportingErrors {
                let client = try connection.clientConfiguration()
                let replayer = try DeadLetterReplayer(
                    client: client,
                    logger: makeLogger("leadsync.dlq", level: .critical),
                    settings: connection.settings
                )
                let showsProgress = connection.showsProgress
                let summary = try await replayer.replay(
                    from: selection.resolvedTopics(),
                    matching: try selection.filter(),
                    options: try options()
                ) { progress in
                    guard showsProgress else { return }
                    switch progress.phase {
                    case .reading:
                        printProgress("reading dead letters: \(progress.scanned) read, \(progress.matched) matching")
                    case .checking:
                        printProgress(
                            "checking target partitions for replay id \(replayId): \(progress.checked) records read"
                        )
                    case .replaying:
                        printProgress(
                            "replaying: \(progress.replayed) of \(progress.planned) published, \(progress.failed) "
                                + "failed"
                        )
                    }
                }
                for line in Self.render(summary, showPlanned: showPlanned) { printLine(line) }
                if !summary.failed.isEmpty || summary.wasInterrupted { throw ExitStatus.difference.exitCode }
            }
        }

        static func render(_ summary: DeadLetterReplaySummary, showPlanned: Int) -> [String] {
            var lines: [String] = []
            if summary.isDryRun {
                lines.append("dry run of replay \(summary.replayId): nothing was published")
                for planned in summary.planned.prefix(showPlanned) {
                    lines.append(
                        "  would replay \(planned.source) -> \(planned.target.topic)/\(planned.target.partition)  "
                            + "\(planned.tenant ?? "-")  \(planned.reason)"
                    )
                }
                if summary.planned.count > showPlanned {
                    lines.append("  ... and \(summary.planned.count - showPlanned) more (--show-planned N lists more)")
                }
            } else {
                lines.append("replay \(summary.replayId):")
            }
            let seconds =
                summary.elapsed.seconds
            lines.append("  dead letters read          \(summary.scanned)")
            lines.append("  matching the filter        \(summary.matched)")
            lines.append("  already replayed (this id) \(summary.alreadyReplayed)")
            if summary.ownDeadLetters > 0 {
                lines.append("  failed again after this id \(summary.ownDeadLetters) (not replayed again by this id)")
            }
            lines.append(
                "  \(summary.isDryRun ? "would replay" : "planned     ")               \(summary.planned.count)"
            )
            if summary.leftByLimit > 0 {
                lines.append(
                    "  left by --limit            \(summary.leftByLimit) (run again with the same id for them)"
                )
            }
            if !summary.isDryRun {
                lines.append("  published                  \(summary.replayed)")
                lines.append("  failed to publish          \(summary.failed.count)")
            }
            for (target, count) in summary.plannedByTarget.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(count) to \(target.topic)/\(target.partition)")
            }
            lines.append("  target records checked     \(summary.checkedRecords)")
            lines.append("  elapsed                    \(String(format: "%.1f", seconds)) s")
            if !summary.unroutable.isEmpty {
                lines.append("  cannot be replayed         \(summary.unroutable.count):")
                for skipped in summary.unroutable.prefix(20) {
                    lines.append("    \(skipped.source): \(skipped.reason)")
                }
            }
            if !summary.failed.isEmpty {
                lines.append("  not published (run again with --replay-id \(summary.replayId) to retry):")
                for failed in summary.failed.prefix(20) { lines.append("    \(failed.source): \(failed.reason)") }
            }
            if summary.wasInterrupted {
                lines.append("  interrupted: run again with --replay-id \(summary.replayId) to finish")
            }
            return lines
        }
    }
}
