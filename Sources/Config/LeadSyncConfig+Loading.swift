internal import Foundation
internal import Yams

// MARK: - LeadSyncConfig + Loading

extension LeadSyncConfig {
    /// The top-level keys of the file.
    static let keys = ["kafka", "fold", "writers", "observability", "tenants"]

    /// Loads the configuration from `LEADSYNC_CONFIG`, or the embedded development default when it is not set, with
    /// the environment's overrides applied.
    /// - Parameters:
    ///   - environment: The environment (the CLI passes `ProcessInfo.processInfo.environment`).
    ///   - role: Which sections must be present (``ConfigRole``); default every one.
    ///   - readFile: Reads the configuration file and secret files.
    /// - Throws: ``ConfigurationError`` listing every problem.
    public static func load(
        environment: [String: String],
        role: ConfigRole = .all,
        readFile: @escaping @Sendable (String) throws -> String = SecretSource.readFileFromDisk
    ) throws(ConfigurationError) -> LeadSyncConfig {
        if let path = environment[EnvironmentVariable.configPath], !path.isEmpty {
            return try load(path: path, environment: environment, role: role, readFile: readFile)
        }
        return try embeddedDefault(environment: environment, readFile: readFile)
    }

    /// Loads a YAML or JSON file, with the environment's overrides applied.
    /// - Parameters:
    ///   - path: The file's path; messages name the file by its last path component.
    ///   - environment: The environment: overrides and `env` secret references.
    ///   - role: Which sections must be present (``ConfigRole``); default every one.
    ///   - readFile: Reads the configuration file and secret files.
    /// - Throws: ``ConfigurationError`` listing every problem.
    public static func load(
        path: String,
        environment: [String: String],
        role: ConfigRole = .all,
        readFile: @escaping @Sendable (String) throws -> String = SecretSource.readFileFromDisk
    ) throws(ConfigurationError) -> LeadSyncConfig {
        let fileName = (path as NSString).lastPathComponent
        let text: String
        do {
            text = try readFile(path)
        } catch {
            throw ConfigurationError(issues: [
                ConfigurationIssue(
                    source: fileName,
                    path: "",
                    kind: .unreadableFile,
                    problem: "cannot read \(path): \(error)",
                    expected: "a readable YAML or JSON file (set \(EnvironmentVariable.configPath) to its path)"
                )
            ])
        }
        return try parse(
            text,
            fileName: fileName,
            source: SecretSource(environment: environment, readFile: readFile),
            role: role
        )
    }

    /// Parses a configuration document (YAML, or JSON, which YAML reads too) and applies the environment's
    /// overrides.
    /// - Parameters:
    ///   - text: The document.
    ///   - fileName: The name messages show as the source.
    ///   - source: The environment (overrides and `env` secrets) and the file reader (`file` secrets).
    ///   - role: Which sections must be present (``ConfigRole``); default every one.
    /// - Throws: ``ConfigurationError`` listing every problem.
    public static func parse(
        _ text: String,
        fileName: String,
        source: SecretSource,
        role: ConfigRole = .all
    ) throws(ConfigurationError) -> LeadSyncConfig {
        let log = IssueLog(fileName: fileName)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            log.addSyntaxError(error)
            throw ConfigurationError(issues: log.sortedIssues)
        }
        let document = root.map { ConfigValue(node: $0, path: .root, log: log) }
        let config = decode(document, source: source, role: role, log: log)
        guard log.issues.isEmpty, let config else { throw ConfigurationError(issues: log.sortedIssues) }
        return config
    }

    /// Reads the document and applies the environment; every problem goes to `log`.
    private static func decode(
        _ document: ConfigValue?,
        source: SecretSource,
        role: ConfigRole,
        log: IssueLog
    ) -> LeadSyncConfig? {
        let section: ConfigMapping?
        if let document, !document.isNull {
            section = document.mapping(knownKeys: keys, allowsExtensions: true)
            guard section != nil else { return nil }
        } else {
            section = nil
        }
        var kafkaDraft = KafkaSettingsDraft(decoding: section?["kafka"], source: source)
        kafkaDraft.applyEnvironment(source, log: log)
        let kafka = kafkaDraft.finish(log: log)
        let fold = FoldSettings(decoding: section?["fold"])
        let writers = WritersSettings(decoding: section?["writers"])
        var observability = ObservabilitySettings(decoding: section?["observability"])
        observability.applyEnvironment(source.environment, log: log)
        let tenants = decodeTenants(section, source: source, role: role, log: log)
        return LeadSyncConfig(
            kafka: kafka,
            fold: fold,
            writers: writers,
            observability: observability,
            tenants: tenants
        )
    }

    private static func decodeTenants(
        _ section: ConfigMapping?,
        source: SecretSource,
        role: ConfigRole,
        log: IssueLog
    ) -> [TenantSettings] {
        let expected = "a list of tenants, each with tenant, destinations, events and its CRM settings"
        guard let section else {
            // An empty document has no node to point at: its first line.
            log.add(
                .missingKey,
                at: ConfigPath.root.key("tenants"),
                "is missing",
                expected: expected,
                line: 1,
                column: 1
            )
            return []
        }
        guard let tenantsValue = section.required("tenants", expected: expected),
            let items = tenantsValue.list(expected: expected)
        else { return [] }
        if items.isEmpty { tenantsValue.report(.invalidValue, "names no tenant", expected: expected) }
        var tenants: [TenantSettings] = []
        var firstIndexOfTenant: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let tenant = TenantSettings(decoding: item, source: source, requiredSections: role.requiredSections)
            else { continue }
            if let first = firstIndexOfTenant[tenant.tenant] {
                log.add(
                    .duplicate,
                    at: item.path.key("tenant"),
                    "\(quoted(tenant.tenant)) is already tenants[\(first)]",
                    expected: "each tenant id once",
                    line: item.node.mark?.line,
                    column: item.node.mark?.column
                )
                continue
            }
            firstIndexOfTenant[tenant.tenant] = index
            tenants.append(tenant)
        }
        checkSharedSubscriptions(items.compactMap(SubscriptionShare.init(tenantEntry:)))
        return tenants
    }

    /// Tenants on one Marketo subscription share its call rate and concurrency: their call shares must not add up to
    /// more than the whole. Read from the entries as written, so that tenants with other problems count too.
    private static func checkSharedSubscriptions(_ shares: [SubscriptionShare]) {
        let byMunchkin = Dictionary(grouping: shares, by: \.munchkinId)
        for (munchkinId, sharing) in byMunchkin.sorted(by: { $0.key < $1.key }) where sharing.count > 1 {
            let total = sharing.reduce(0.0) { $0 + $1.callShare }
            guard total > 1.000_001, let last = sharing.last else { continue }
            let names = sharing.map { quoted($0.tenant) }.joined(separator: ", ")
            last.value.report(
                .inconsistent,
                "tenants \(names) share the Marketo subscription \(munchkinId) and their callShare adds up to "
                    + "\((total * 1000).rounded() / 1000)",
                expected: "call shares of one subscription that add up to at most 1"
            )
        }
    }
}
