public import LeadModel

// MARK: - LeadSyncConfig

/// LeadSync's one validated configuration: Kafka, the fold and writer roles, observability, and every tenant.
///
/// Load it with ``load(path:environment:readFile:)``, ``load(environment:readFile:)`` or
/// ``embeddedDefault(environment:readFile:)``;
/// a value that loaded without error has passed every check in `docs/configuration.md`. Secrets are held as
/// references (``Secret``) and never printed.
public struct LeadSyncConfig: Sendable, Hashable {
    /// Which Kafka to use.
    public var kafka: KafkaSettings
    /// The fold role.
    public var fold: FoldSettings
    /// The writer roles.
    public var writers: WritersSettings
    /// Metrics, health and logs.
    public var observability: ObservabilitySettings
    /// The tenants, in file order; tenant ids are unique.
    public var tenants: [TenantSettings]

    /// Creates a configuration from its parts (no validation: use the loaders for input from people).
    public init(
        kafka: KafkaSettings = .embedded,
        fold: FoldSettings = FoldSettings(),
        writers: WritersSettings = WritersSettings(),
        observability: ObservabilitySettings = ObservabilitySettings(),
        tenants: [TenantSettings]
    ) {
        self.kafka = kafka
        self.fold = fold
        self.writers = writers
        self.observability = observability
        self.tenants = tenants
    }

    /// The tenants' rules, as the fold looks them up.
    public var tenantDirectory: TenantDirectory {
        TenantDirectory(tenants.map(\.rules))
    }

    /// The settings of one tenant, or `nil` when it is not configured.
    public func tenant(_ tenant: String) -> TenantSettings? {
        tenants.first { $0.tenant == tenant }
    }

    /// Every secret reference in the configuration (Kafka first, then tenants in order).
    public var secrets: [Secret] {
        (kafka.cluster?.secrets ?? []) + tenants.flatMap(\.secrets)
    }

    /// Resolves every secret once, so that a missing variable or unreadable file stops start-up with all of them
    /// listed, instead of failing at the first API call.
    /// - Throws: ``ConfigurationError`` listing each secret that cannot be read (never a value).
    public func checkSecrets() throws(ConfigurationError) {
        try checkSecrets(for: .all)
    }
}
