import LeadModel
import Simulation

/// Plans and helpers shared by the simulation tests.
enum SimulationFixtures {
    /// Three tenants, one with a single event, so every journey shape occurs.
    static let tenants = [
        SimulatedTenant(id: "acme", virtualEventIds: ["summit-2026", "webinar-7"]),
        SimulatedTenant(id: "globex", virtualEventIds: ["launch-2026"]),
        SimulatedTenant(id: "initech", virtualEventIds: ["tps-2026", "all-hands", "offsite"]),
    ]

    /// Every departure at once, at rates high enough to be measured on a few thousand leads.
    static let busyRates = SimulationRates(
        outOfOrder: 0.2,
        duplicate: 0.05,
        poison: 0.09,
        nonCanonicalKey: 0.15,
        emailVariation: 0.2
    )

    static func plan(
        leads: Int = 2_000,
        eventsPerLead: Int = 12,
        rates: SimulationRates = busyRates,
        seed: UInt64 = 7
    ) -> SimulationPlan {
        SimulationPlan(tenants: tenants, leadCount: leads, eventsPerLead: eventsPerLead, rates: rates, seed: seed)
    }

    /// The tenant configuration the plan's tenants stand for: every virtual event mapped to both CRMs.
    static func directory(for plan: SimulationPlan) -> TenantDirectory {
        TenantDirectory(
            plan.tenants.map { tenant in
                TenantRules(
                    tenant: tenant.id,
                    eventMappings: Dictionary(
                        uniqueKeysWithValues: tenant.virtualEventIds.enumerated().map { index, eventId in
                            (
                                eventId,
                                EventMapping(marketoProgramId: 1000 + index, salesforceCampaignId: "701000000000001")
                            )
                        }
                    )
                )
            }
        )
    }

    /// The records of a plan, materialised (test plans are small).
    static func records(_ plan: SimulationPlan) -> [SimulatedRecord] {
        Array(plan.records())
    }
}
