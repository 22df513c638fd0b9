import LeadModel
import Simulation
import Testing

@Suite("Simulated records honour the input contract")
struct RecordContractTests {
    let decoder = InputEventDecoder()

    @Test("every valid record and duplicate decodes, passes the tenant configuration, and matches its intent")
    func validRecordsDecode() throws {
        let plan = SimulationFixtures.plan()
        let directory = SimulationFixtures.directory(for: plan)
        var checked = 0
        var attendee = 0
        var engagement = 0
        for record in plan.records() where record.intent.poisonKind == nil {
            let event: InputEvent
            do {
                event = try decoder.decode(record.value)
            } catch {
                Issue.record("rejected \(error): \(String(decoding: record.value, as: UTF8.self))")
                continue
            }
            #expect(directory.validate(event) == nil)
            #expect(event.leadKey.rawValue == record.intent.leadKey)
            #expect(event.eventId == record.intent.eventId)
            #expect(event.occurredAt == record.intent.occurredAt)
            switch event {
            case .attendeeStatus:
                attendee += 1
                #expect(record.topic == plan.attendeeTopic)
            case .engagement:
                engagement += 1
                #expect(record.topic == plan.engagementTopic)
            }
            checked += 1
        }
        #expect(checked >= plan.validRecordCount)
        #expect(attendee > 0 && engagement > 0)
    }

    @Test("keys are canonical exactly when the intent says so, and name the same lead otherwise")
    func keysMatchIntent() throws {
        let plan = SimulationFixtures.plan()
        var forms: [RecordIntent.KeyForm: Int] = [:]
        for record in plan.records() {
            forms[record.intent.keyForm, default: 0] += 1
            switch record.intent.keyForm {
            case .canonical:
                #expect(record.key == Array(record.intent.leadKey.utf8))
            case .absent:
                #expect(record.key == nil)
            case .nonCanonical:
                let key = try #require(record.key)
                let text = String(decoding: key, as: UTF8.self)
                #expect(text != record.intent.leadKey)
                // The same lead once tenant case, email case and whitespace are normalised.
                #expect(text.lowercased().filter { !$0.isWhitespace } == record.intent.leadKey)
            }
        }
        #expect(forms[.canonical, default: 0] > 0)
        #expect(forms[.absent, default: 0] > 0)
        #expect(forms[.nonCanonical, default: 0] > 0)
    }

    @Test("emails are first.last.N@domainK.example, one lead per email, tenants' leads disjoint")
    func emailsAreUniquePerLead() throws {
        let plan = SimulationFixtures.plan(leads: 900, rates: .none)
        var leadByEmail: [String: String] = [:]
        for record in plan.records() {
            let key = try #require(LeadKey(rawValue: record.intent.leadKey))
            let parts = key.email.split(separator: "@")
            #expect(parts.count == 2)
            let local = parts[0].split(separator: ".")
            #expect(local.count == 3 && Int(local[2]) != nil, "\(key.email)")
            #expect(parts[1].hasPrefix("domain") && parts[1].hasSuffix(".example"))
            if let previous = leadByEmail[key.email] {
                #expect(previous == key.rawValue)
            }
            leadByEmail[key.email] = key.rawValue
        }
        #expect(leadByEmail.count == 900)
        let tenants = Set(leadByEmail.values.compactMap { LeadKey(rawValue: $0)?.tenant })
        #expect(tenants == Set(SimulationFixtures.tenants.map(\.id)))
    }

    @Test("bodies vary the email's case and whitespace, never its meaning")
    func emailVariation() throws {
        let plan = SimulationFixtures.plan(leads: 500)
        var varied = 0
        var valid = 0
        for record in plan.records() where record.intent.isValid {
            valid += 1
            let canonicalEmail = try #require(record.intent.leadKey.split(separator: "/").last)
            let body = String(decoding: record.value, as: UTF8.self)
            if !body.contains("\"email\":\"\(canonicalEmail)\"") { varied += 1 }
        }
        let share = Double(varied) / Double(valid)
        #expect(abs(share - 0.2) < 0.03, "varied share \(share)")
    }

    @Test("engagement records carry the contract's metric names, with rates in 0...1")
    func engagementMetrics() throws {
        let plan = SimulationFixtures.plan(leads: 300, eventsPerLead: 20, rates: .none)
        var snapshots = 0
        var ended = 0
        var withoutChannel = 0
        for record in plan.records() where record.topic == plan.engagementTopic {
            guard case .engagement(let event) = try decoder.decode(record.value) else {
                Issue.record("not an engagement event")
                continue
            }
            snapshots += 1
            if event.sessionEnded { ended += 1 }
            if event.channel == .unknown { withoutChannel += 1 }
            #expect(event.metrics.knownCount >= 22)
            #expect(event.entry.id.utf8.count <= 11)
            for metric in EngagementMetric.allCases where metric.kind == .rate {
                if let rate = event.metrics.number(metric) { #expect((0...1).contains(rate)) }
            }
            let reactions = [
                event.metrics.clapClickedCount, event.metrics.heartClickedCount, event.metrics.thinkClickedCount,
                event.metrics.wowClickedCount, event.metrics.smileClickedCount,
            ].compactMap { $0 }.reduce(0, +)
            #expect(event.metrics.totalReactionsActivity == reactions)
        }
        #expect(snapshots > 300)
        #expect(ended > 0 && ended < snapshots)
        #expect(withoutChannel > 0 && withoutChannel < snapshots)
    }
}
