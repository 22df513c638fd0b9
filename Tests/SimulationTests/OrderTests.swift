import LeadModel
import Simulation
import Testing

@Suite("Per-lead order, duplicates and cumulative engagement")
struct OrderTests {
    let decoder = InputEventDecoder()

    @Test("each lead's produce order against occurredAt matches the out-of-order intent, per topic")
    func outOfOrderMatchesIntent() {
        let plan = SimulationFixtures.plan(leads: 1_500)
        var latest: [String: Timestamp] = [:]
        var late = 0
        for record in plan.records() where record.intent.isValid {
            guard let occurredAt = record.intent.occurredAt else {
                Issue.record("a valid record without occurredAt")
                continue
            }
            let stream = record.intent.leadKey + "|" + record.topic
            let isLate = latest[stream].map { occurredAt < $0 } ?? false
            #expect(isLate == record.intent.isDeliveredLate)
            if isLate { late += 1 }
            latest[stream] = max(latest[stream] ?? occurredAt, occurredAt)
        }
        #expect(late > 0)
    }

    @Test("without the out-of-order rate, every lead's records come in occurredAt order")
    func inOrderWithoutRate() {
        var rates = SimulationFixtures.busyRates
        rates.outOfOrder = 0
        let plan = SimulationFixtures.plan(leads: 800, rates: rates)
        var latest: [String: Timestamp] = [:]
        for record in plan.records() where record.intent.isValid {
            guard let occurredAt = record.intent.occurredAt else { continue }
            #expect(!record.intent.isDeliveredLate)
            if let previous = latest[record.intent.leadKey] { #expect(previous <= occurredAt) }
            latest[record.intent.leadKey] = occurredAt
        }
    }

    @Test("a duplicate is byte-identical to an earlier valid record of the same lead")
    func duplicatesRepeatEarlierRecords() {
        let plan = SimulationFixtures.plan(leads: 1_000)
        var seen: [String: SimulatedRecord] = [:]
        var duplicates = 0
        for record in plan.records() {
            switch record.intent.kind {
            case .valid:
                if let eventId = record.intent.eventId {
                    #expect(seen[eventId] == nil, "event id \(eventId) reused by a valid record")
                    seen[eventId] = record
                }
            case .duplicate:
                duplicates += 1
                guard let eventId = record.intent.eventId, let original = seen[eventId] else {
                    Issue.record("a duplicate of no earlier record")
                    continue
                }
                #expect(original.value == record.value)
                #expect(original.key == record.key)
                #expect(original.topic == record.topic)
                #expect(original.intent.leadKey == record.intent.leadKey)
            case .poison:
                break
            }
        }
        #expect(duplicates > 100)
    }

    @Test("engagement metrics grow per (lead, event, entry) and sessionEnded only marks the last snapshot")
    func engagementIsCumulative() throws {
        let plan = SimulationFixtures.plan(leads: 600, eventsPerLead: 25)
        var snapshots: [String: [EngagementEvent]] = [:]
        for record in plan.records() where record.intent.isValid && record.topic == plan.engagementTopic {
            guard case .engagement(let event) = try decoder.decode(record.value) else { continue }
            snapshots[event.leadKey.rawValue + "|" + event.virtualEventId + "|" + event.entry.id, default: []]
                .append(event)
        }
        #expect(snapshots.count > 600)
        var endedEntries = 0
        for (entry, events) in snapshots {
            let ordered = events.sorted { $0.occurredAt < $1.occurredAt }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                for metric in EngagementMetric.allCases where metric.kind != .rate {
                    guard let before = earlier.metrics[metric], let after = later.metrics[metric] else { continue }
                    #expect(before <= after, "\(entry) \(metric): \(before) then \(after)")
                }
            }
            #expect(ordered.dropLast().allSatisfy { !$0.sessionEnded }, "\(entry)")
            if ordered.last?.sessionEnded == true { endedEntries += 1 }
        }
        #expect(endedEntries > 0 && endedEntries < snapshots.count)
    }

    @Test("status journeys start before engagement and mix channel and granular names")
    func journeysMixStatusNames() throws {
        let plan = SimulationFixtures.plan(leads: 2_000, rates: .none)
        var granular = 0
        var channel = 0
        var names: Set<String> = []
        for record in plan.records() where record.topic == plan.attendeeTopic {
            guard case .attendeeStatus(let event) = try decoder.decode(record.value) else { continue }
            names.insert(event.status.name)
            switch event.status {
            case .granular: granular += 1
            case .channel: channel += 1
            }
        }
        #expect(granular > channel && channel > 0)
        for expected in [
            "Invited", "Registered", "Registered no confirmation required", "Confirmed email", "Pre-event visit",
            "During-event visit", "Un-registered", "Blocked", "SSO login", "Invited by team member",
        ] {
            #expect(names.contains(expected), "no '\(expected)' in the journeys")
        }
    }
}
