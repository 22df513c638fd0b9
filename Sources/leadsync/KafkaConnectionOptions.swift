import ArgumentParser
import Config
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
        try refuseSecretProperties(kafkaProperties)
    }

    /// The client configuration these options name: `LEADSYNC_KAFKA_PROPERTY_*` from the environment (where a
    /// password belongs, never on the command line), then `--kafka-property`.
    func clientConfiguration(clientId: String) throws -> KafkaClientConfiguration {
        var properties = Self.environmentProperties()
        for (key, value) in try parseProperties(kafkaProperties) { properties[key] = value }
        return KafkaClientConfiguration(
            bootstrapServers: try resolveBootstrapServers().split(separator: ",").map(String.init),
            clientId: clientId,
            additionalProperties: properties
        )
    }

    /// librdkafka properties set as `LEADSYNC_KAFKA_PROPERTY_<NAME>` (docs/configuration.md), as the configuration
    /// applies them; only read when a client is made from these options.
    static func environmentProperties(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String: String] {
        var properties: [String: String] = [:]
        for (variable, value) in environment {
            guard let name = EnvironmentVariable.kafkaPropertyName(ofVariable: variable), name != "bootstrap.servers"
            else { continue }
            properties[name] = value
        }
        return properties
    }

    private func resolveBootstrapServers() throws -> String {
        if let bootstrapServers { return bootstrapServers }
        let reference = devCluster ?? ".leadsync/dev-cluster.json"
        guard FileManager.default.fileExists(atPath: reference) else {
            throw CommandFailure(
                message:
                    "no cluster given: pass --bootstrap-servers, or --dev-cluster with the state file of a running "
                    + "`leadsync dev-cluster` (\(reference) does not exist)"
            )
        }
        guard let servers = try DevClusterControlClient.resolve(reference).state?.bootstrapServers else {
            throw CommandFailure(message: "\(reference): not a dev-cluster state file (no bootstrapServers)")
        }
        return servers
    }
}
