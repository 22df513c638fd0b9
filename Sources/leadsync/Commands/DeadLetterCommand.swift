import ArgumentParser

/// `leadsync dlq list | show | replay`: the operator's view of the dead-letter topics.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract:
            "List, inspect and replay dead letters (leadsync.events.dlq, marketo.commands.dlq, "
            + "salesforce.commands.dlq).",
        discussion: """
            Dead letters are records the fold could not fold (leadsync.events.dlq: invalid input, unknown tenant, \
            unmapped event) or a writer could not deliver (<dest>.commands.dlq: permanent CRM errors, or transient \
            ones past the retry budget). Each keeps the original key, value and headers and adds headers with the \
            reason (leadsync.error.class, .code, .message, .field), the origin (leadsync.original.topic, .partition, \
            .offset), leadsync.attempts and leadsync.first.failed.at.

            These commands read the dead-letter topics without a consumer group, from their first held offset to \
            the end they have when the command starts; they never commit offsets and never change the topics. \
            `replay` re-publishes to the original topic and partition. See docs/runbook.md for what each error \
            code means and what to do about it.

            Examples:
              leadsync dlq list --since 24h
              leadsync dlq list --topic events --error-code unmapped_event --tenant acme
              leadsync dlq show leadsync.events.dlq/3/1042
              leadsync dlq replay --topic events --error-code unmapped_event \\
                  --tenant acme --replay-id acme-summit-mapping --dry-run
            """,
        subcommands: [List.self, Show.self, Replay.self]
    )
}
