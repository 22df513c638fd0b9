import ArgumentParser

@main
struct LeadSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadsync",
        abstract: "Folds virtual-event attendee and engagement events from Kafka into Marketo and Salesforce.",
        discussion: """
            Roles run as Kafka consumer groups; `dev-cluster` serves a local Kafka (librdkafka's mock cluster) \
            for development and tests.
            """,
        subcommands: [
            RunCommand.self, DevClusterCommand.self, TopicsCommand.self, SimulateCommand.self, FoldCommand.self,
            WriterCommand.self, DoctorCommand.self, SandboxCommand.self, DeadLetterCommand.self, ReconcileCommand.self, StateCommand.self, BenchCommand.self,
        ]
    )
}
