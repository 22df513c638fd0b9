// MARK: - KafkaSettingsDraft

/// The Kafka settings while they are being assembled from the file and then the environment; checked as a whole
/// by ``finish(log:)`` (SASL needs a SASL protocol and vice versa, whichever source set each part).
struct KafkaSettingsDraft {
    var bootstrapServers: [String]?
    var clientId: String?
    var securityProtocol: KafkaSecurityProtocol?
    var saslMechanism: KafkaSASLMechanism?
    var saslUsername: String?
    var saslPassword: Secret?
    var sslCALocation: String?
    var properties: [String: String] = [:]
    var secretProperties: [String: Secret] = [:]
    /// Where each setting came from (`kafka.sasl.username` or `environment: LEADSYNC_...`), for messages.
    var origins: [String: String] = [:]
    /// The line and column of the `kafka` section, where problems of the combination are reported.
    var sectionLine: Int?
    var sectionColumn: Int?

    /// librdkafka properties that have a typed setting, and that setting's path in the file.
    static let typedProperties: [String: String] = [
        "bootstrap.servers": "kafka.bootstrapServers",
        "client.id": "kafka.clientId",
        "security.protocol": "kafka.securityProtocol",
        "sasl.mechanisms": "kafka.sasl.mechanism",
        "sasl.mechanism": "kafka.sasl.mechanism",
        "sasl.username": "kafka.sasl.username",
        "sasl.password": "kafka.sasl.password",
        "ssl.ca.location": "kafka.ssl.caLocation",
    ]

    /// Whether a librdkafka property holds a secret (`sasl.password`, `ssl.key.password`,
    /// `sasl.oauthbearer.client.secret`, `ssl.key.pem`).
    static func isSecretProperty(_ name: String) -> Bool {
        name.contains("password") || name.contains("secret") || name == "ssl.key.pem"
            || name == "sasl.oauthbearer.config"
    }

    /// Whether anything but the bootstrap servers is set.
    var hasClusterSettings: Bool {
        clientId != nil || securityProtocol != nil || saslMechanism != nil || saslUsername != nil
            || saslPassword != nil || sslCALocation != nil || !properties.isEmpty || !secretProperties.isEmpty
    }

    /// Checks the combination and builds the settings.
    func finish(log: IssueLog) -> KafkaSettings {
        guard let bootstrapServers else {
            if hasClusterSettings {
                let setBy = origins.values.sorted().joined(separator: ", ")
                log.add(
                    .missingKey,
                    at: ConfigPath.root.key("kafka").key("bootstrapServers"),
                    "is missing, but other Kafka settings are given (\(setBy))",
                    expected: "bootstrap servers (or \(EnvironmentVariable.kafkaBootstrapServers)), or no Kafka "
                        + "settings at all for the embedded cluster",
                    line: sectionLine,
                    column: sectionColumn
                )
            }
            return .embedded
        }
        var sasl: KafkaSASLSettings?
        let saslPath = ConfigPath.root.key("kafka").key("sasl")
        let anySASL = saslMechanism != nil || saslUsername != nil || saslPassword != nil
        if securityProtocol?.usesSASL == true || anySASL {
            if securityProtocol?.usesSASL != true {
                log.add(
                    .inconsistent,
                    at: ConfigPath.root.key("kafka").key("securityProtocol"),
                    "is \(securityProtocol?.rawValue ?? "not set (PLAINTEXT)") but SASL settings are given",
                    expected: "SASL_SSL (or SASL_PLAINTEXT) when kafka.sasl is set",
                    line: sectionLine,
                    column: sectionColumn
                )
            }
            if saslMechanism == nil {
                log.add(
                    .missingKey,
                    at: saslPath.key("mechanism"),
                    "is missing",
                    expected: mechanismExpectation,
                    line: sectionLine,
                    column: sectionColumn
                )
            }
            if saslUsername == nil {
                log.add(
                    .missingKey,
                    at: saslPath.key("username"),
                    "is missing",
                    expected: "the SASL user name",
                    line: sectionLine,
                    column: sectionColumn
                )
            }
            if saslPassword == nil {
                log.add(
                    .missingKey,
                    at: saslPath.key("password"),
                    "is missing",
                    expected: ConfigValue.secretExpectation,
                    line: sectionLine,
                    column: sectionColumn
                )
            }
            if let saslMechanism, let saslUsername, let saslPassword {
                sasl = KafkaSASLSettings(mechanism: saslMechanism, username: saslUsername, password: saslPassword)
            }
        }
        return .cluster(
            KafkaClusterSettings(
                bootstrapServers: bootstrapServers,
                clientId: clientId ?? KafkaClusterSettings.defaultClientId,
                securityProtocol: securityProtocol,
                sasl: sasl,
                sslCALocation: sslCALocation,
                properties: properties,
                secretProperties: secretProperties
            )
        )
    }

    var mechanismExpectation: String {
        "one of " + KafkaSASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Checks `host:port` entries; returns the problem of the first bad one.
    static func bootstrapProblem(_ servers: [String]) -> String? {
        if servers.isEmpty { return "names no server" }
        for server in servers {
            let withoutScheme = server.split(separator: "://", maxSplits: 1).last.map(String.init) ?? server
            if ListenAddress(parsing: withoutScheme) == nil || withoutScheme.hasSuffix(":0") {
                return "\(quoted(server)) is not host:port"
            }
        }
        return nil
    }

    static let bootstrapExpectation = "a list of host:port entries (or one comma-separated text), such as kafka-0:9092"
}
