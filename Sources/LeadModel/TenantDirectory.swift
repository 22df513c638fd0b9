// MARK: - TenantDirectory

/// Every configured tenant's rules, and the configuration checks an event must pass before it is folded.
public struct TenantDirectory: Sendable, Hashable {
    /// tenant id -> rules.
    public private(set) var rulesByTenant: [String: TenantRules]

    /// Creates a directory; a later entry for the same tenant replaces an earlier one.
    public init(_ rules: some Sequence<TenantRules>) {
        var rulesByTenant: [String: TenantRules] = [:]
        for tenantRules in rules { rulesByTenant[tenantRules.tenant] = tenantRules }
        self.rulesByTenant = rulesByTenant
    }

    /// The rules of a tenant, or `nil` when it is not configured.
    public func rules(for tenant: String) -> TenantRules? {
        rulesByTenant[tenant]
    }

    /// Why the event cannot be folded under this configuration, or `nil` when it can.
    ///
    /// - `unknown_tenant`: the tenant is not configured;
    /// - `unmapped_event`: the `virtualEventId` has no mapping for any of the tenant's enabled destinations.
    public func validate(_ event: InputEvent) -> EventRejection? {
        let tenant = event.tenant
        guard let rules = rulesByTenant[tenant] else {
            return EventRejection(
                code: .unknownTenant,
                field: "tenant",
                message: "tenant \(EventFields.quoted(tenant)) is not configured"
            )
        }
        guard rules.isMapped(event.virtualEventId) else {
            let enabled = rules.destinations.sorted().map(\.rawValue).joined(separator: ", ")
            return EventRejection(
                code: .unmappedEvent,
                field: "virtualEventId",
                message: "virtualEventId \(EventFields.quoted(event.virtualEventId)) of tenant "
                    + "\(EventFields.quoted(tenant)) is mapped to none of its enabled destinations (\(enabled))"
            )
        }
        return nil
    }
}
