import LeadModel
import Simulation
import Testing

@Suite("Poison records")
struct PoisonTests {
    let decoder = InputEventDecoder()

    @Test("every poison record is rejected with its intended code", arguments: PoisonKind.allCases)
    func rejectedWithIntendedCode(kind: PoisonKind) throws {
        let rates = SimulationRates(poison: 0.3, poisonKinds: [kind])
        let plan = SimulationFixtures.plan(leads: 300, rates: rates)
        let directory = SimulationFixtures.directory(for: plan)
        var poison = 0
        for record in plan.records() {
            guard let intended = record.intent.poisonKind else { continue }
            poison += 1
            #expect(intended == kind)
            let body = String(decoding: record.value, as: UTF8.self)
            let code: EventRejection.Code?
            do {
                let event = try decoder.decode(record.value)
                code = directory.validate(event)?.code
            } catch {
                #expect(kind.isRejectedByDecoder, "the decoder rejected a \(kind) record: \(error)")
                code = error.code
            }
            #expect(code == kind.rejectionCode, "\(kind): \(body)")
            #expect(code?.rawValue == kind.rawValue)
        }
        #expect(poison > 300)
    }

    @Test("poison records belong to a lead, keep its key, and carry the event id when the body has one")
    func poisonIntent() throws {
        let plan = SimulationFixtures.plan(leads: 400)
        var kinds: Set<PoisonKind> = []
        for record in plan.records() {
            guard let kind = record.intent.poisonKind else { continue }
            kinds.insert(kind)
            #expect(record.intent.isKeyCanonical)
            #expect(record.key == Array(record.intent.leadKey.utf8))
            #expect(record.intent.occurredAt == nil)
            #expect(!record.intent.isDeliveredLate)
            if kind == .notJSON { #expect(record.intent.eventId == nil) }
            if let eventId = record.intent.eventId {
                #expect(String(decoding: record.value, as: UTF8.self).contains("\"eventId\":\"\(eventId)\""))
            }
            if kind == .unknownTenant {
                #expect(
                    !SimulationFixtures.tenants.map(\.id).contains(
                        LeadKey(rawValue: record.intent.leadKey)?.tenant ?? ""
                    )
                )
            }
        }
        #expect(kinds == Set(PoisonKind.allCases))
    }
}
