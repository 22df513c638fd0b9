import LeadModel
import Simulation
import Testing

@Suite("Simulation plan validation")
struct PlanValidationTests {
    @Test(
        "invalid plans name the field at fault",
        arguments: [
            (SimulationPlan(tenants: [], leadCount: 1), "tenants"),
            (
                SimulationPlan(tenants: [SimulatedTenant(id: "a/b", virtualEventIds: ["e"])], leadCount: 1),
                "tenants[0].id"
            ),
            (
                SimulationPlan(tenants: [SimulatedTenant(id: "acme", virtualEventIds: [])], leadCount: 1),
                "tenants[0].virtualEventIds"
            ),
            (
                SimulationPlan(
                    tenants: [
                        SimulatedTenant(id: "acme", virtualEventIds: ["e"]),
                        SimulatedTenant(id: "acme", virtualEventIds: ["f"]),
                    ],
                    leadCount: 1
                ),
                "tenants[1].id"
            ),
            (SimulationPlan(leadCount: -1), "leadCount"),
            (SimulationPlan(leadCount: 1, eventsPerLead: 0), "eventsPerLead"),
            (SimulationPlan(leadCount: 1, rates: SimulationRates(outOfOrder: 1.5)), "rates.outOfOrder"),
            (SimulationPlan(leadCount: 1, rates: SimulationRates(poison: -0.1)), "rates.poison"),
            (SimulationPlan(leadCount: 1, rates: SimulationRates(duplicate: 0.5, poison: 0.5)), "rates"),
            (SimulationPlan(leadCount: 1, rates: SimulationRates(poison: 0.1, poisonKinds: [])), "rates.poisonKinds"),
            (SimulationPlan(leadCount: 1, interleavedLeads: 0), "interleavedLeads"),
        ]
    )
    func invalidPlans(plan: SimulationPlan, field: String) {
        #expect(throws: SimulationPlanError.self) { try plan.validate() }
        do {
            try plan.validate()
        } catch {
            #expect(error.field == field)
            #expect(error.description.hasPrefix("\(field): "))
        }
        #expect(Array(plan.records()).isEmpty)
    }

    @Test("the development defaults validate and cover every event of the tenants")
    func developmentDefaults() throws {
        let plan = SimulationPlan(leadCount: 200, eventsPerLead: 8, seed: 3)
        try plan.validate()
        let events = Set(
            SimulationFixtures.records(plan).compactMap { record -> String? in
                guard case .attendeeStatus(let event)? = try? InputEventDecoder().decode(record.value) else {
                    return nil
                }
                return event.tenant + ":" + event.virtualEventId
            }
        )
        #expect(events == ["acme:summit-2026", "acme:webinar-7", "globex:partner-day-2026"])
    }

    @Test("one event per lead still makes a journey (its first status)")
    func singleEvent() throws {
        let plan = SimulationPlan(leadCount: 100, eventsPerLead: 1, seed: 5)
        let records = SimulationFixtures.records(plan)
        #expect(records.count == 100)
        #expect(records.allSatisfy { $0.topic == plan.attendeeTopic })
    }
}
