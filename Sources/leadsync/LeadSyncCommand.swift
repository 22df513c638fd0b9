import ArgumentParser

@main
struct LeadSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadsync",
        abstract: "Folds virtual-event attendee and engagement events from Kafka into Marketo and Salesforce.",
        discussion: """
            Roles run as Kafka consumer groups; `dev-cluster` serves a local Kafka (librdkafka's mock cluster) \
            for development and tests.

            Exit status (every command): 0 done and in order; 1 ran, and found drift or could not do all of it \
            (the output says what); 2 could not run (configuration, cluster, CRM, I/O); 64 bad command line. \
            docs/cli.md has the table.
            """,
        version: LeadSyncVersion.current,
        subcommands: [
            RunCommand.self, DevClusterCommand.self, TopicsCommand.self, SimulateCommand.self, FoldCommand.self,
            WriterCommand.self, DoctorCommand.self, SandboxCommand.self, DeadLetterCommand.self, ReconcileCommand.self,
            StateCommand.self, BenchCommand.self,
        ]
    )
}
