// MARK: - PreparedPlan

/// A validated plan with everything that is the same for all its records computed once (quoted tenant and event
/// ids, the ids that poison records use).
final class PreparedPlan: Sendable {
    /// One tenant's pre-quoted values.
    struct Tenant: Sendable {
        let id: String
        let quotedId: [UInt8]
        let virtualEventIds: [String]
        let quotedVirtualEventIds: [[UInt8]]
        /// A virtual event id the tenant does not have (for `unmapped_event` poison).
        let quotedUnmappedEventId: [UInt8]
        /// A tenant id that no tenant of the plan has (for `unknown_tenant` poison).
        let unknownTenantId: String
    }

    let plan: SimulationPlan
    let isValid: Bool
    let tenants: [Tenant]

    init(plan: SimulationPlan) {
        self.plan = plan
        self.isValid = (try? plan.validate()) != nil
        let tenantIds = Set(plan.tenants.map(\.id))
        self.tenants = plan.tenants.map { tenant in
            var unmapped = "unlisted-event"
            while tenant.virtualEventIds.contains(unmapped) { unmapped += "-x" }
            var unknownTenant = "unconfigured-\(tenant.id)"
            while tenantIds.contains(unknownTenant) { unknownTenant += "-x" }
            return Tenant(
                id: tenant.id,
                quotedId: JSONBodyWriter.quoted(tenant.id),
                virtualEventIds: tenant.virtualEventIds,
                quotedVirtualEventIds: tenant.virtualEventIds.map(JSONBodyWriter.quoted),
                quotedUnmappedEventId: JSONBodyWriter.quoted(unmapped),
                unknownTenantId: unknownTenant
            )
        }
    }
}
