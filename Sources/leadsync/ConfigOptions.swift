import ArgumentParser
import Config
import Foundation
import Kafka

/// `--config`: the configuration file (else `LEADSYNC_CONFIG`, else the embedded development default).
struct ConfigOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The configuration file (YAML or JSON; see docs/configuration.md).",
            discussion: "Default: $LEADSYNC_CONFIG, else the embedded development configuration (config/dev.yaml)."
        )
    )
    var config: String?

    /// Whether a configuration file was named (--config or `LEADSYNC_CONFIG`), rather than the embedded default.
    var isNamed: Bool {
        config != nil || !(ProcessInfo.processInfo.environment["LEADSYNC_CONFIG"] ?? "").isEmpty
    }

    /// The validated configuration, every section required, secrets not resolved; every problem is reported at
    /// once.
    func load() throws -> LeadSyncConfig {
        try load(role: .all, checkingSecrets: false)
    }

    /// The configuration validated for a role (``ConfigRole``: the sections it needs); with `checkingSecrets`, every
    /// secret the role needs is resolved once and all that cannot be are reported at once.
    func load(role: ConfigRole, checkingSecrets: Bool = true) throws -> LeadSyncConfig {
        let environment = ProcessInfo.processInfo.environment
        let loaded: LeadSyncConfig
        if let config {
            loaded = try LeadSyncConfig.load(path: config, environment: environment, role: role)
        } else {
            loaded = try LeadSyncConfig.load(environment: environment, role: role)
        }
        if checkingSecrets { try loaded.checkSecrets(for: role) }
        return loaded
    }
}

extension KafkaConnectionOptions {
    /// The Kafka these options name if any were given; else the configuration's cluster; else a running
    /// `leadsync dev-cluster`.
    func clientConfiguration(clientId: String, config: LeadSyncConfig) throws -> KafkaClientConfiguration {
        if bootstrapServers == nil && devCluster == nil, let cluster = config.kafka.cluster {
            var client = try cluster.clientConfiguration()
            client.clientId = clientId
            for (key, value) in try parseProperties(kafkaProperties) { client.additionalProperties[key] = value }
            return client
        }
        return try clientConfiguration(clientId: clientId)
    }
}
