import ArgumentParser
import Foundation
import Kafka
import Topics

/// Where a command finds Kafka: `--bootstrap-servers` with pass-through properties, or a running
/// `leadsync dev-cluster` (its state file, `.leadsync/dev-cluster.json` by default).
struct KafkaConnectionOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers (comma-separated host:port).")
    var bootstrapServers: String?

    @Option(help: "A dev-cluster state file (default .leadsync/dev-cluster.json when no --bootstrap-servers).")
    var devCluster: String?

    @Option(
        name: .customLong("kafka-property"),
        help: "A librdkafka property key=value (repeatable), e.g. security.protocol=SASL_SSL."
    )
    var kafkaProperties: [String] = []

    func validate() throws {
        if bootstrapServers != nil && devCluster != nil {
            throw ValidationError("pass either --bootstrap-servers or --dev-cluster, not both")
        }
    }

    /// The client configuration these options name.
    func clientConfiguration(clientId: String) throws -> KafkaClientConfiguration {
        let properties = try parseProperties(kafkaProperties)
        return KafkaClientConfiguration(
            bootstrapServers: try resolveBootstrapServers().split(separator: ",").map(String.init),
            clientId: clientId,
            additionalProperties: properties
        )
    }

    private func resolveBootstrapServers() throws -> String {
        if let bootstrapServers { return bootstrapServers }
        let reference = devCluster ?? ".leadsync/dev-cluster.json"
        guard FileManager.default.fileExists(atPath: reference) else {
            throw CommandFailure(
                message: "no cluster given: pass --bootstrap-servers, or --dev-cluster with the state file of a running `leadsync dev-cluster` (\(reference) does not exist)"
            )
        }
        guard let servers = try DevClusterControlClient.resolve(reference).state?.bootstrapServers else {
            throw CommandFailure(message: "\(reference): not a dev-cluster state file (no bootstrapServers)")
        }
        return servers
    }
}
