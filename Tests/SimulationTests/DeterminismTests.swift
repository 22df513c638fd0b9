import LeadModel
import Simulation
import Testing

@Suite("Simulation determinism")
struct DeterminismTests {
    @Test("the same seed gives the same records, byte for byte")
    func sameSeedSameBytes() {
        let plan = SimulationFixtures.plan(leads: 500)
        let first = SimulationFixtures.records(plan)
        let second = SimulationFixtures.records(plan)
        #expect(first.count > 500 * 12)
        #expect(first == second)
    }

    @Test("a different seed gives different records")
    func differentSeedDifferentBytes() {
        let first = SimulationFixtures.records(SimulationFixtures.plan(leads: 200, seed: 1))
        let second = SimulationFixtures.records(SimulationFixtures.plan(leads: 200, seed: 2))
        #expect(first.map(\.value) != second.map(\.value))
        let firstIds = Set(first.compactMap(\.intent.eventId))
        let secondIds = Set(second.compactMap(\.intent.eventId))
        #expect(firstIds.isDisjoint(with: secondIds))
    }

    @Test("a lead's records do not depend on the interleaving or the number of leads")
    func leadsAreIndependent() {
        var narrow = SimulationFixtures.plan(leads: 300)
        narrow.interleavedLeads = 1
        var wide = SimulationFixtures.plan(leads: 600)
        wide.interleavedLeads = 200
        let narrowRecords = SimulationFixtures.records(narrow)
        let wideRecords = SimulationFixtures.records(wide)
        #expect(narrowRecords != Array(wideRecords.prefix(narrowRecords.count)))
        func byLead(_ records: [SimulatedRecord]) -> [String: [SimulatedRecord]] {
            Dictionary(grouping: records, by: \.intent.leadKey)
        }
        let narrowByLead = byLead(narrowRecords)
        let wideByLead = byLead(wideRecords)
        for (lead, records) in narrowByLead {
            #expect(wideByLead[lead] == records, "lead \(lead)")
        }
    }

    @Test("with one lead at a time, leads come one after the other")
    func oneLeadAtATime() {
        var plan = SimulationFixtures.plan(leads: 50)
        plan.interleavedLeads = 1
        let leadOrder = SimulationFixtures.records(plan).map(\.intent.leadKey).filter { !$0.hasPrefix("unconfigured-") }
        var runs: [String] = []
        for lead in leadOrder where runs.last != lead { runs.append(lead) }
        #expect(runs.count == 50)
        #expect(Set(runs).count == 50)
    }
}
