internal import Foundation

// MARK: - KafkaSettingsDraft + Environment

extension KafkaSettingsDraft {
    /// Applies `LEADSYNC_KAFKA_BOOTSTRAP_SERVERS` and `LEADSYNC_KAFKA_PROPERTY_*` on top of the file's settings.
    ///
    /// A property override of a secret (`LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD`) becomes a reference to that very
    /// variable, so that the value is still only read when needed and never shown.
    mutating func applyEnvironment(_ source: SecretSource, log: IssueLog) {
        let environment = source.environment
        if let text = environment[EnvironmentVariable.kafkaBootstrapServers] {
            let servers = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let problem = KafkaSettingsDraft.bootstrapProblem(servers) {
                log.addEnvironment(
                    .invalidValue,
                    variable: EnvironmentVariable.kafkaBootstrapServers,
                    problem,
                    expected: "comma-separated host:port entries, such as kafka-0:9092,kafka-1:9092"
                )
            } else {
                bootstrapServers = servers
                origins["bootstrap.servers"] = "environment \(EnvironmentVariable.kafkaBootstrapServers)"
            }
        }
        for variable in environment.keys.sorted() {
            guard let name = EnvironmentVariable.kafkaPropertyName(ofVariable: variable),
                let value = environment[variable]
            else { continue }
            origins[name] = "environment \(variable)"
            let secret = Secret(reference: .environment(variable), setting: variable, source: source)
            switch name {
            case "bootstrap.servers":
                log.addEnvironment(
                    .inconsistent,
                    variable: variable,
                    "sets the bootstrap servers through a property",
                    expected: EnvironmentVariable.kafkaBootstrapServers
                )
            case "client.id":
                clientId = value
            case "security.protocol":
                if let parsed = KafkaSecurityProtocol(rawValue: value) {
                    securityProtocol = parsed
                } else {
                    log.addEnvironment(
                        .invalidValue,
                        variable: variable,
                        "\(quoted(value)) is not a security protocol",
                        expected: "one of " + KafkaSecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
            case "sasl.mechanisms", "sasl.mechanism":
                if let parsed = KafkaSASLMechanism(rawValue: value) {
                    saslMechanism = parsed
                } else {
                    log.addEnvironment(
                        .invalidValue,
                        variable: variable,
                        "\(quoted(value)) is not a supported SASL mechanism",
                        expected: mechanismExpectation
                    )
                }
            case "sasl.username":
                saslUsername = value
            case "sasl.password":
                saslPassword = secret
            case "ssl.ca.location":
                sslCALocation = value
            default:
                if KafkaSettingsDraft.isSecretProperty(name) {
                    secretProperties[name] = secret
                    properties[name] = nil
                } else {
                    properties[name] = value
                    secretProperties[name] = nil
                }
            }
        }
    }
}
