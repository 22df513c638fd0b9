// MARK: - SimulatedTenant

/// A tenant of the simulation and the virtual events its leads attend (the ids its configuration maps).
public struct SimulatedTenant: Sendable, Hashable {
    /// The tenant id, as in events and lead keys.
    public var id: String
    /// The virtual event ids the tenant's configuration maps to CRM targets.
    public var virtualEventIds: [String]

    /// Creates a tenant.
    public init(id: String, virtualEventIds: [String]) {
        self.id = id
        self.virtualEventIds = virtualEventIds
    }

    /// The tenants of the development configuration (`config/dev.yaml`): `acme` with two events, `globex` with one.
    ///
    /// This is the one place the simulation names them; keep it aligned with the development configuration.
    public static let developmentDefaults: [SimulatedTenant] = [
        SimulatedTenant(id: "acme", virtualEventIds: ["summit-2026", "webinar-7"]),
        SimulatedTenant(id: "globex", virtualEventIds: ["partner-day-2026"]),
    ]
}
