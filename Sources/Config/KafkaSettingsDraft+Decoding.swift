// MARK: - KafkaSettingsDraft + Decoding

extension KafkaSettingsDraft {
    /// The keys of the `kafka` section.
    static let keys = [
        "bootstrapServers", "clientId", "securityProtocol", "sasl", "ssl", "properties", "secretProperties",
    ]

    /// Reads the `kafka` section; `nil` (absent, `null` or `{}`) leaves the draft empty: the embedded cluster.
    init(decoding value: ConfigValue?, source: SecretSource) {
        self.init()
        guard let value, let section = value.mapping(knownKeys: KafkaSettingsDraft.keys) else { return }
        sectionLine = value.node.mark?.line
        sectionColumn = value.node.mark?.column
        if let servers = section["bootstrapServers"],
            let list = servers.stringList(expected: KafkaSettingsDraft.bootstrapExpectation)
        {
            if let problem = KafkaSettingsDraft.bootstrapProblem(list) {
                servers.report(.invalidValue, problem, expected: KafkaSettingsDraft.bootstrapExpectation)
            } else {
                bootstrapServers = list
                origins["bootstrap.servers"] = servers.path.description
            }
        }
        if let clientId = section["clientId"], let text = clientId.name(expected: "a client id") {
            self.clientId = text
            origins["client.id"] = clientId.path.description
        }
        if let securityProtocol = section["securityProtocol"], let text = securityProtocol.string() {
            if let parsed = KafkaSecurityProtocol(rawValue: text) {
                self.securityProtocol = parsed
                origins["security.protocol"] = securityProtocol.path.description
            } else {
                securityProtocol.report(
                    .invalidValue,
                    "\(quoted(text)) is not a security protocol"
                        + KeySuggestion.didYouMean(text, among: KafkaSecurityProtocol.allCases.map(\.rawValue)),
                    expected: "one of " + KafkaSecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
        }
        if let saslValue = section["sasl"],
            let sasl = saslValue.mapping(knownKeys: ["mechanism", "username", "password"])
        {
            if let mechanism = sasl["mechanism"], let text = mechanism.string() {
                if let parsed = KafkaSASLMechanism(rawValue: text) {
                    saslMechanism = parsed
                    origins["sasl.mechanisms"] = mechanism.path.description
                } else {
                    mechanism.report(
                        .invalidValue,
                        "\(quoted(text)) is not a supported SASL mechanism"
                            + KeySuggestion.didYouMean(text, among: KafkaSASLMechanism.allCases.map(\.rawValue)),
                        expected: mechanismExpectation
                    )
                }
            }
            if let username = sasl["username"], let text = username.name(expected: "the SASL user name") {
                saslUsername = text
                origins["sasl.username"] = username.path.description
            }
            if let password = sasl["password"], let secret = password.secret(source: source) {
                saslPassword = secret
                origins["sasl.password"] = password.path.description
            }
        }
        if let sslValue = section["ssl"], let ssl = sslValue.mapping(knownKeys: ["caLocation"]),
            let caLocation = ssl["caLocation"], let text = caLocation.string(expected: "the CA bundle's path")
        {
            sslCALocation = text
            origins["ssl.ca.location"] = caLocation.path.description
        }
        if let propertiesValue = section["properties"],
            let entries = propertiesValue.entries(expected: "a mapping of librdkafka property names to values")
        {
            for (name, value) in entries {
                guard KafkaSettingsDraft.checkPropertyName(name, at: value) else { continue }
                if let typed = KafkaSettingsDraft.typedProperties[name] {
                    value.report(
                        .inconsistent,
                        "has a typed setting",
                        expected: "\(typed) instead of a pass-through property"
                    )
                } else if KafkaSettingsDraft.isSecretProperty(name) {
                    value.report(
                        .literalSecret,
                        "holds a secret, which must not be written into the configuration file (the value is not "
                            + "shown here)",
                        expected: "kafka.secretProperties[\(quoted(name))]: " + ConfigValue.secretExpectation
                    )
                } else if let text = value.string(allowEmpty: true, expected: "the property's value as text") {
                    properties[name] = text
                    origins[name] = value.path.description
                }
            }
        }
        if let secretsValue = section["secretProperties"],
            let entries = secretsValue.entries(expected: "a mapping of librdkafka property names to secret references")
        {
            for (name, value) in entries {
                guard KafkaSettingsDraft.checkPropertyName(name, at: value) else { continue }
                if name == "sasl.password" {
                    value.report(.inconsistent, "has a typed setting", expected: "kafka.sasl.password instead")
                } else if let typed = KafkaSettingsDraft.typedProperties[name] {
                    value.report(.inconsistent, "is not a secret", expected: "\(typed) instead")
                } else if let secret = value.secret(source: source) {
                    secretProperties[name] = secret
                    origins[name] = value.path.description
                }
            }
        }
    }

    /// Checks the form of a librdkafka property name (`lower.case.words`).
    private static func checkPropertyName(_ name: String, at value: ConfigValue) -> Bool {
        let isWellFormed =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
            }
        if !isWellFormed {
            value.report(
                .invalidValue,
                "\(quoted(name)) is not a librdkafka property name",
                expected: "a lower-case dotted name such as compression.type"
            )
        }
        return isWellFormed
    }
}
