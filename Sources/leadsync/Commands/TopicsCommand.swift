import ArgumentParser
import Foundation
import Kafka
import Topics

struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create and check the topics of topics/.",
        subcommands: [Apply.self]
    )

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create missing topics; report drift (partition count, cleanup policy) with a non-zero exit.",
            discussion: """
                Existing topics are never altered: a partition count or cleanup policy that differs from its \
                definition is reported (exit status 1) for an operator to resolve. Against `leadsync dev-cluster`, \
                pass --dev-cluster (its state file or control URL): the mock cluster has no CreateTopics.
                """
        )

        @Option(help: "Directory of topic definitions.")
        var topicsDir = "topics"

        @Option(help: "Kafka bootstrap servers (comma-separated host:port).")
        var bootstrapServers: String?

        @Option(help: "A dev-cluster state file or control URL.")
        var devCluster: String?

        @Option(name: .customLong("kafka-property"), help: "A librdkafka property key=value (repeatable), e.g. security.protocol=SASL_SSL.")
        var kafkaProperties: [String] = []

        @Flag(help: "Plan only: create nothing.")
        var dryRun = false

        func validate() throws {
            if bootstrapServers != nil && devCluster != nil {
                throw ValidationError("pass either --bootstrap-servers or --dev-cluster, not both")
            }
        }

        func run() async throws {
            var consistent = true
            try await runReportingErrors {
                let definitions = try TopicCatalogLoader(directory: URL(fileURLWithPath: topicsDir)).load()
                let catalog = try makeCatalog()
                let report = try await TopicApplier(catalog: catalog).apply(definitions, dryRun: dryRun)
                let byName = Dictionary(uniqueKeysWithValues: definitions.map { ($0.name, $0) })
                for name in report.created {
                    let definition = byName[name]
                    let detail = definition.map { "\($0.partitions) partitions, cleanup.policy=\($0.cleanupPolicy)" } ?? ""
                    printLine("\(dryRun ? "would create" : "created  ") \(name) (\(detail))")
                }
                for name in report.unchanged { printLine("unchanged  \(name)") }
                for drift in report.drift { printLine("drift      \(drift)") }
                printLine(
                    "summary: \(report.created.count) \(dryRun ? "to create" : "created"), \(report.unchanged.count) unchanged, \(report.drift.count) drift"
                )
                consistent = report.isConsistent
            }
            if !consistent { throw ExitCode(1) }
        }

        private func makeCatalog() throws -> any TopicCatalog {
            if let bootstrapServers {
                var properties = try parseProperties(kafkaProperties)
                properties["socket.connection.setup.timeout.ms"] = properties["socket.connection.setup.timeout.ms"] ?? "5000"
                let configuration = KafkaClientConfiguration(
                    bootstrapServers: bootstrapServers.split(separator: ",").map(String.init),
                    clientId: "leadsync-topics",
                    additionalProperties: properties
                )
                let admin = try KafkaAdmin(configuration: configuration, logger: makeLogger("leadsync.topics", level: .critical))
                return KafkaTopicCatalog(admin: admin, bootstrapServers: bootstrapServers, timeout: .seconds(10))
            }
            let reference = devCluster ?? ".leadsync/dev-cluster.json"
            if devCluster == nil && !FileManager.default.fileExists(atPath: reference) {
                throw CommandFailure(message: "no cluster given: pass --bootstrap-servers, or --dev-cluster with the state file of a running `leadsync dev-cluster`")
            }
            return try DevClusterControlClient.resolve(reference).client
        }
    }
}
