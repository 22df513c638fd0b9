import LeadModel
import Simulation
import Testing

@Suite("Simulation rates")
struct RateTests {
    @Test("rates are honoured on a large sample")
    func ratesHonoured() {
        let plan = SimulationFixtures.plan(leads: 5_000)
        var tally = SimulationTally()
        for record in plan.records() { tally.add(record) }
        let rates = plan.rates
        let total = Double(tally.records)

        #expect(tally.valid == plan.validRecordCount)
        #expect(tally.records == tally.valid + tally.duplicates + tally.poison)
        #expect(abs(Double(tally.poison) / total - rates.poison) < 0.01)
        #expect(abs(Double(tally.duplicates) / total - rates.duplicate) < 0.01)
        // Keys are only made non-canonical on valid records (duplicates repeat theirs).
        let departedKeys = Double(tally.absentKeys + tally.nonCanonicalKeys)
        let firstAndRepeats = Double(tally.valid + tally.duplicates)
        #expect(abs(departedKeys / firstAndRepeats - rates.nonCanonicalKey) < 0.015)
        #expect(tally.absentKeys > 0 && tally.nonCanonicalKeys > 0)
        // A record is held back with the out-of-order probability unless the one before was: about r(1 - r/2)
        // of the records with a successor; every record but the last of each lead and topic has one.
        let late = Double(tally.deliveredLate) / Double(tally.valid)
        #expect(late > rates.outOfOrder * 0.6 && late < rates.outOfOrder, "late share \(late)")
        // Every poison kind occurs about equally often.
        for kind in PoisonKind.allCases {
            let share = Double(tally.poisonByKind[kind, default: 0]) / Double(tally.poison)
            #expect(abs(share - 1.0 / 9) < 0.03, "\(kind): \(share)")
        }
        #expect(tally.recordsByTopic.keys.sorted() == [plan.attendeeTopic, plan.engagementTopic].sorted())
        #expect(plan.estimatedRecordCount > plan.validRecordCount)
        #expect(abs(Double(plan.estimatedRecordCount) / total - 1) < 0.02)
    }

    @Test("zero rates give a clean stream: ordered, canonical, no duplicates, no poison")
    func cleanStream() {
        let plan = SimulationFixtures.plan(leads: 1_000, rates: .none)
        var tally = SimulationTally()
        for record in plan.records() { tally.add(record) }
        #expect(tally.records == plan.validRecordCount)
        #expect(tally.valid == tally.records)
        #expect(tally.deliveredLate == 0)
        #expect(tally.duplicates == 0 && tally.poison == 0)
        #expect(tally.absentKeys == 0 && tally.nonCanonicalKeys == 0)
    }

    @Test("the record count of a large plan is exact, without holding the records")
    func largeCount() {
        let plan = SimulationPlan(leadCount: 20_000, eventsPerLead: 10, rates: .realistic, seed: 99)
        var valid = 0
        var total = 0
        for record in plan.records() {
            total += 1
            if record.intent.isValid { valid += 1 }
        }
        #expect(valid == 200_000)
        #expect(total > valid)
    }
}
