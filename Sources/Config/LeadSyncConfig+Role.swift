internal import LeadModel

// MARK: - LeadSyncConfig + Role

extension LeadSyncConfig {
    /// The secret references a role resolves: Kafka's always, then each tenant's CRM secrets of the sections the
    /// role needs.
    public func secrets(for role: ConfigRole) -> [Secret] {
        let sections = role.requiredSections
        return (kafka.cluster?.secrets ?? []) + tenants.flatMap { $0.secrets(of: sections) }
    }

    /// Resolves every secret the role needs once, so that a missing variable or unreadable file stops start-up
    /// with all of them listed (never a value), instead of failing at the first API call.
    /// - Throws: ``ConfigurationError`` with one ``ConfigurationIssue/Kind/unresolvableSecret`` issue per secret.
    public func checkSecrets(for role: ConfigRole) throws(ConfigurationError) {
        var issues: [ConfigurationIssue] = []
        for secret in secrets(for: role) {
            do {
                _ = try secret.reveal()
            } catch {
                issues.append(
                    ConfigurationIssue(
                        source: "secrets",
                        path: secret.setting,
                        kind: .unresolvableSecret,
                        problem: error.reason,
                        expected: "the secret referenced by \(secret.reference)"
                    )
                )
            }
        }
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
    }
}

extension TenantSettings {
    /// The tenant's secrets of the given CRM sections.
    func secrets(of sections: Set<Destination>) -> [Secret] {
        var secrets: [Secret] = []
        if sections.contains(.marketo), let marketo { secrets.append(marketo.clientSecret) }
        if sections.contains(.salesforce) {
            switch salesforce?.authentication {
            case .clientCredentials(let clientSecret): secrets.append(clientSecret)
            case .jwtBearer(_, let privateKey): secrets.append(privateKey)
            case nil: break
            }
        }
        return secrets
    }
}
