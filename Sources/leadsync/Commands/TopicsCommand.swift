import ArgumentParser
import Foundation
import Kafka
import Topics

struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create, check and render LeadSync's topics (built in, from topics/ of its source).",
        subcommands: [Apply.self, Render.self]
    )

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create missing topics; report drift (partition count, cleanup policy) with a non-zero exit.",
            discussion: """
                Existing topics are never altered: a partition count or cleanup policy that differs from its \
                definition is reported (exit status 1) for an operator to resolve. The definitions are the ones \
                built into leadsync (topics/ of its source), or --topics-dir's.

                The cluster: --bootstrap-servers (with --kafka-property), else the configuration's kafka section \
                (--config or $LEADSYNC_CONFIG: its TLS and SASL settings, secrets from the environment or files), \
                else a running `leadsync dev-cluster` (--dev-cluster: its state file or control URL; the mock \
                cluster has no CreateTopics, its control endpoint creates them).

                Examples:
                  leadsync topics apply --dev-cluster .leadsync/dev-cluster.json
                  leadsync topics apply --config /etc/leadsync/leadsync.yaml --dry-run
                  LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD="$(cat /run/secrets/kafka-password)" \\
                    leadsync topics apply --bootstrap-servers b1:9093 --topic-prefix staging- \\
                      --kafka-property security.protocol=SASL_SSL --kafka-property sasl.mechanisms=SCRAM-SHA-512 \\
                      --kafka-property sasl.username=leadsync
                """
        )

        @Option(help: "A directory of topic definitions (*.yaml) to use instead of the built-in ones.")
        var topicsDir: String?

        @Option(help: "A prefix for every topic name (for several environments on one cluster), as given to the roles.")
        var topicPrefix = ""

        @OptionGroup var configOptions: ConfigOptions

        @Option(help: "Kafka bootstrap servers (comma-separated host:port).")
        var bootstrapServers: String?

        @Option(help: "A dev-cluster state file or control URL.")
        var devCluster: String?

        @Option(
            name: .customLong("kafka-property"),
            help: ArgumentHelp(
                "A librdkafka property key=value (repeatable), e.g. security.protocol=SASL_SSL. Never a password: "
                    + "set LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD, or reference a file in the configuration."
            )
        )
        var kafkaProperties: [String] = []

        @Flag(help: "Plan only: create nothing.")
        var dryRun = false

        func validate() throws {
            if bootstrapServers != nil && devCluster != nil {
                throw ValidationError("pass either --bootstrap-servers or --dev-cluster, not both")
            }
            try refuseSecretProperties(kafkaProperties)
        }

        func run() async throws {
            var consistent = true
            try await runReportingErrors {
                let source = TopicDefinitionSource(topicsDirectory: topicsDir)
                let definitions = try source.load().map { definition in
                    var prefixed = definition
                    prefixed.name = topicPrefix + definition.name
                    return prefixed
                }
                let catalog = try makeCatalog()
                let report = try await TopicApplier(catalog: catalog).apply(definitions, dryRun: dryRun)
                let byName = Dictionary(uniqueKeysWithValues: definitions.map { ($0.name, $0) })
                for name in report.created {
                    let definition = byName[name]
                    let detail =
                        definition.map { "\($0.partitions) partitions, cleanup.policy=\($0.cleanupPolicy)" } ?? ""
                    printLine("\(dryRun ? "would create" : "created  ") \(name) (\(detail))")
                }
                for name in report.unchanged { printLine("unchanged  \(name)") }
                for drift in report.drift { printLine("drift      \(drift)") }
                printLine(
                    "summary: \(report.created.count) \(dryRun ? "to create" : "created"), "
                        + "\(report.unchanged.count) unchanged, \(report.drift.count) drift (definitions: \(source))"
                )
                consistent = report.isConsistent
            }
            if !consistent { throw ExitStatus.difference.exitCode }
        }

        private func makeCatalog() throws -> any TopicCatalog {
            if devCluster == nil {
                if let client = try clusterClient() {
                    var configuration = client
                    configuration.clientId = "leadsync-topics"
                    if configuration.additionalProperties["socket.connection.setup.timeout.ms"] == nil {
                        configuration.additionalProperties["socket.connection.setup.timeout.ms"] = "5000"
                    }
                    let admin = try KafkaAdmin(
                        configuration: configuration,
                        logger: makeLogger("leadsync.topics", level: .critical)
                    )
                    return KafkaTopicCatalog(
                        admin: admin,
                        bootstrapServers: configuration.bootstrapServers.joined(separator: ","),
                        timeout: .seconds(10)
                    )
                }
            }
            let reference = devCluster ?? ".leadsync/dev-cluster.json"
            if devCluster == nil && !FileManager.default.fileExists(atPath: reference) {
                throw CommandFailure(
                    message: "no cluster given: pass --bootstrap-servers, --config with a kafka section, or "
                        + "--dev-cluster with the state file of a running `leadsync dev-cluster`"
                )
            }
            return try DevClusterControlClient.resolve(reference).client
        }

        /// The real cluster these options name: --bootstrap-servers, else the configuration's (only when a
        /// configuration was named: the embedded development default has no cluster).
        private func clusterClient() throws -> KafkaClientConfiguration? {
            if let bootstrapServers {
                // The environment's LEADSYNC_KAFKA_PROPERTY_* (a password belongs there), then --kafka-property.
                var properties = KafkaConnectionOptions.environmentProperties()
                for (key, value) in try parseProperties(kafkaProperties) { properties[key] = value }
                return KafkaClientConfiguration(
                    bootstrapServers: bootstrapServers.split(separator: ",").map(String.init),
                    clientId: "leadsync-topics",
                    additionalProperties: properties
                )
            }
            guard configOptions.isNamed, let cluster = try configOptions.load().kafka.cluster else { return nil }
            var client = try cluster.clientConfiguration()
            for (key, value) in try parseProperties(kafkaProperties) { client.additionalProperties[key] = value }
            return client
        }
    }

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render topics/ as Kubernetes resources (Strimzi KafkaTopic).",
            discussion: """
                Without --output-dir, prints one multi-document YAML stream (kubectl apply -f -). With \
                --output-dir, writes one <topic>.yaml per topic and a kustomization.yaml listing them, replaces \
                generated files that changed and removes generated files whose topic is gone; other files are left \
                alone. With --check, writes nothing and exits 1 when the directory differs from a fresh render.

                Examples:
                  leadsync topics render --format strimzi --output-dir k8s/base/topics
                  leadsync topics render --format strimzi --output-dir k8s/base/topics --check
                  leadsync topics render --format strimzi --cluster my-kafka --api-version v1beta2 \\
                    | kubectl apply -n kafka -f -
                """
        )

        @Option(help: "A directory of topic definitions (*.yaml) to use instead of the built-in ones.")
        var topicsDir: String?

        @Option(help: "Output format: strimzi (KafkaTopic resources for the Strimzi Topic Operator).")
        var format: String

        @Option(help: "The Strimzi Kafka resource's name: the strimzi.io/cluster label of every topic.")
        var cluster = "leadsync"

        @Option(help: "kafka.strimzi.io API version: v1 (Strimzi 0.49 and later) or v1beta2 (Strimzi 0.22 to 0.51).")
        var apiVersion = StrimziTopicRenderer.APIVersion.v1.shortName

        @Option(help: "Write one file per topic and a kustomization.yaml into this directory instead of printing.")
        var outputDir: String?

        @Flag(help: "With --output-dir: change nothing, exit 1 when the directory differs from a fresh render.")
        var check = false

        func validate() throws {
            guard format == "strimzi" else {
                throw ValidationError("--format must be strimzi (the only renderer), not '\(format)'")
            }
            guard StrimziTopicRenderer.APIVersion(name: apiVersion) != nil else {
                let names = StrimziTopicRenderer.APIVersion.allCases.map(\.shortName).joined(separator: ", ")
                throw ValidationError("--api-version must be one of \(names), not '\(apiVersion)'")
            }
            if check && outputDir == nil {
                throw ValidationError("--check compares a directory: pass --output-dir")
            }
        }

        func run() async throws {
            var inSync = true
            try await runReportingErrors {
                let source = TopicDefinitionSource(topicsDirectory: topicsDir)
                let definitions = try source.load()
                let renderer = StrimziTopicRenderer(
                    clusterName: cluster,
                    apiVersion: StrimziTopicRenderer.APIVersion(name: apiVersion) ?? .v1
                )
                guard let outputDir else {
                    FileHandle.standardOutput.write(Data(renderer.render(definitions).utf8))
                    return
                }
                let directory = StrimziManifestDirectory(url: URL(fileURLWithPath: outputDir))
                let manifests = renderer.manifests(for: definitions)
                if check {
                    let differences = try directory.differences(from: manifests)
                    for difference in differences { printLine("drift      \(outputDir)/\(difference)") }
                    printLine(
                        differences.isEmpty
                            ? "\(outputDir): in sync with \(source) (\(definitions.count) topics)"
                            : "\(outputDir): \(differences.count) file(s) differ from \(source); "
                                + "run without --check to render"
                    )
                    inSync = differences.isEmpty
                } else {
                    let written = try directory.write(manifests)
                    for name in written { printLine("rendered   \(outputDir)/\(name)") }
                    printLine("\(outputDir): \(definitions.count) topics, \(written.count) file(s) changed")
                }
            }
            if !inSync { throw ExitStatus.difference.exitCode }
        }
    }
}
