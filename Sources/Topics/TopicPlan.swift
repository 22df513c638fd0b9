/// A topic as a cluster has it; `configs` is `nil` when the cluster cannot tell (no DescribeConfigs).
public struct ExistingTopic: Sendable, Hashable, Codable {
    public var name: String
    public var partitions: Int
    public var configs: [String: String]?

    public init(name: String, partitions: Int, configs: [String: String]?) {
        self.name = name
        self.partitions = partitions
        self.configs = configs
    }
}

/// What `topics apply` will do or found, per topic. Pure: computed from the definitions and the cluster's state.
public struct TopicPlan: Sendable, Hashable {
    /// A difference between a definition and the cluster that apply will not repair by itself.
    public struct Drift: Sendable, Hashable, CustomStringConvertible {
        public var topic: String
        public var setting: String
        public var expected: String
        public var actual: String

        public var description: String { "\(topic): \(setting) is \(actual), expected \(expected)" }
    }

    /// Topics to create.
    public var missing: [TopicDefinition]
    /// Topics that match their definition.
    public var matching: [String]
    /// Differences to report; partition counts and cleanup policies are never changed behind an operator's back.
    public var drift: [Drift]

    public init(definitions: [TopicDefinition], existing: [ExistingTopic]) {
        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var missing: [TopicDefinition] = []
        var matching: [String] = []
        var drift: [Drift] = []
        for definition in definitions {
            guard let actual = byName[definition.name] else {
                missing.append(definition)
                continue
            }
            var differences: [Drift] = []
            if actual.partitions != definition.partitions {
                differences.append(
                    Drift(
                        topic: definition.name,
                        setting: "partitions",
                        expected: String(definition.partitions),
                        actual: String(actual.partitions)
                    )
                )
            }
            if let configs = actual.configs {
                let actualPolicy = configs["cleanup.policy"] ?? "delete"
                if Self.normalized(actualPolicy) != Self.normalized(definition.cleanupPolicy) {
                    differences.append(
                        Drift(
                            topic: definition.name,
                            setting: "cleanup.policy",
                            expected: definition.cleanupPolicy,
                            actual: actualPolicy
                        )
                    )
                }
            }
            if differences.isEmpty {
                matching.append(definition.name)
            } else {
                drift += differences
            }
        }
        self.missing = missing
        self.matching = matching
        self.drift = drift
    }

    private static func normalized(_ policy: String) -> Set<Substring> {
        Set(policy.split(separator: ",").map { $0.drop { $0 == " " } })
    }
}
