import Basics
import LeadModel
import Testing

/// The event-time rule as a property: a lead's state is a function of its events, never of their arrival order.
///
/// Each case is a random set of one lead's events (seeded, so every run tests the same cases): attendee statuses
/// of every kind, granular and channel, re-registrations before and after un-registrations, engagement snapshots
/// with and without plays or minutes, several entries, two virtual events, duplicates, and many events in the
/// same millisecond; profiles and user ids that differ between events of the same millisecond. Folded in at least
/// 50 random arrival orders, every order must give the same state as folding the events sorted by
/// (`occurredAt`, event id digest), and the commands must follow the result: emitted only when the status
/// changes, never two with one id, and the last one per virtual event and destination carrying the final status.
@Suite("Lead fold: event time (property)")
struct EventTimePropertyTests {
    static let virtualEventIds = ["summit-2026", "webinar-7"]
    static let rules = TenantRules(
        tenant: Fixtures.tenant,
        eventMappings: [
            virtualEventIds[0]: EventMapping(marketoProgramId: 1001, salesforceCampaignId: "701A"),
            virtualEventIds[1]: EventMapping(marketoProgramId: 1002, salesforceCampaignId: "701B"),
        ]
    )
    static let now = Fixtures.t0

    /// A random set of one lead's events; the same seed gives the same set.
    static func eventSet(seed: UInt64) -> [InputEvent] {
        var random = SplitMix64(seed: seed)
        var events: [InputEvent] = []
        var serial = 0
        func nextId() -> String {
            serial += 1
            return "evt-\(seed)-\(serial)"
        }
        // Times on a coarse grid (minutes, 0...40) so that many events share a millisecond.
        func time() -> Int64 { Int64.random(in: 0...40, using: &random) * 60_000 }
        let reported: [ReportedStatus] =
            ChannelStatus.allCases.map { .channel($0) } + GranularStatus.allCases.map { .granular($0) }
        let profiles = [
            LeadProfile(firstName: "Jane", company: "Example Inc"),
            LeadProfile(firstName: "Janet", company: "Example Inc", custom: ["industry": "Software"]),
        ]
        for _ in 0..<Int.random(in: 1...14, using: &random) {
            let virtualEvent = Self.virtualEventIds[
                Int.random(
                    in: 0..<(Int.random(in: 0..<4, using: &random) == 0 ? 2 : 1),
                    using: &random
                )
            ]
            let roll = Int.random(in: 0..<10, using: &random)
            if roll < 6 {
                // A status; often an un-registration followed or preceded by a re-registration.
                var status = reported.randomElement(using: &random) ?? .channel(.registered)
                if roll < 2 { status = Bool.random(using: &random) ? .granular(.unregistered) : .channel(.registered) }
                events.append(
                    .attendeeStatus(
                        AttendeeStatusEvent(
                            eventId: nextId(),
                            leadKey: Fixtures.key,
                            occurredAt: Fixtures.t0.adding(milliseconds: time()),
                            virtualEventId: virtualEvent,
                            userId: Bool.random(using: &random)
                                ? ["jane", "jane.doe"].randomElement(using: &random) : nil,
                            status: status,
                            profile: Bool.random(using: &random) ? profiles.randomElement(using: &random) : nil
                        )
                    )
                )
            } else {
                var metrics = EngagementMetrics()
                switch Int.random(in: 0..<4, using: &random) {
                case 0: metrics.plays = Int.random(in: 0...3, using: &random)
                case 1: metrics.liveMinutesViewed = Double(Int.random(in: 0...90, using: &random)) / 2
                case 2: metrics.vodMinutesViewed = 0
                default: break
                }
                let entry = ["1_keynote", "1_roadmap"].randomElement(using: &random) ?? "1_keynote"
                events.append(
                    .engagement(
                        EngagementEvent(
                            eventId: nextId(),
                            leadKey: Fixtures.key,
                            occurredAt: Fixtures.t0.adding(milliseconds: time()),
                            virtualEventId: virtualEvent,
                            userId: Bool.random(using: &random) ? "jane.doe" : nil,
                            entry: EngagementEntry(id: entry, name: "Session \(entry)"),
                            channel: EngagementChannel(id: 12, name: "Main stage"),
                            sessionEnded: false,
                            metrics: metrics
                        )
                    )
                )
            }
        }
        // The last snapshot of an entry in event time may end its session (an earlier one ending it would send
        // the custom activity at a time that depends on arrival, which the settle rules allow and this test does
        // not cover).
        var latest: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            guard case .engagement(let engagement) = event else { continue }
            let slot = "\(engagement.virtualEventId)/\(engagement.entry.id)"
            if latest[slot].map({ key(of: events[$0]) < key(of: event) }) ?? true { latest[slot] = index }
        }
        for index in latest.values.sorted() where Bool.random(using: &random) {
            if case .engagement(var engagement) = events[index] {
                engagement.sessionEnded = true
                events[index] = .engagement(engagement)
            }
        }
        // Duplicates: the same event again (same id, same content).
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            if let repeated = events.randomElement(using: &random) { events.append(repeated) }
        }
        return events
    }

    static func key(of event: InputEvent) -> TimelineKey {
        switch event {
        case .attendeeStatus(let attendee):
            TimelineKey(occurredAt: attendee.occurredAt, eventDigest: EventDigest(eventId: attendee.eventId))
        case .engagement(let engagement):
            TimelineKey(occurredAt: engagement.occurredAt, eventDigest: EventDigest(eventId: engagement.eventId))
        }
    }

    /// Folds the events in this order; returns the state and the commands in emission order.
    static func fold(_ events: [InputEvent]) -> (state: LeadState, commands: [Command]) {
        var state = LeadState()
        var commands: [Command] = []
        for event in events {
            commands += LeadFold.apply(event, to: &state, rules: rules, now: now).commands
        }
        return (state, commands)
    }

    /// The commands' promises, whatever the order: a status command only when the status changes, never one id
    /// twice, and the last status command per event and destination carrying the final status.
    static func checkCommands(_ commands: [Command], final state: LeadState, context: Comment) {
        var ids: Set<CommandID> = []
        var lastStatus: [String: ChannelStatus] = [:]
        for command in commands {
            #expect(ids.insert(command.commandId).inserted, "command id \(command.commandId) twice: \(context)")
            guard case .memberStatus(let change) = command.payload else { continue }
            let slot = "\(command.virtualEventId)/\(command.destination)"
            #expect(lastStatus[slot] != change.status, "a command without a change of status: \(context)")
            #expect(change.previousStatus == lastStatus[slot], "previousStatus is the last one sent: \(context)")
            lastStatus[slot] = change.status
        }
        for event in virtualEventIds {
            let status = state.membership(for: event)?.status
            for destination in [Destination.marketo, .salesforce] {
                #expect(lastStatus["\(event)/\(destination)"] == status, "\(event) \(destination): \(context)")
            }
        }
    }

    @Test("every arrival order gives the state of the events folded in time order", arguments: 0..<60)
    func orderIndependence(seed: UInt64) {
        let events = Self.eventSet(seed: seed)
        let sorted = events.enumerated()
            .sorted { (Self.key(of: $0.element), $0.offset) < (Self.key(of: $1.element), $1.offset) }
            .map(\.element)
        let reference = Self.fold(sorted)
        Self.checkCommands(reference.commands, final: reference.state, context: "seed \(seed), sorted")
        // Sorted, no event is late: only the fast path runs.
        var lateInSorted = false
        var scratch = LeadState()
        for event in sorted {
            lateInSorted = lateInSorted || LeadFold.apply(event, to: &scratch, rules: Self.rules, now: Self.now).isLate
        }
        #expect(!lateInSorted, "seed \(seed)")

        var random = SplitMix64(seed: seed &+ 1_000_003)
        for order in 0..<50 {
            let shuffled = events.shuffled(using: &random)
            let folded = Self.fold(shuffled)
            let context = Comment(rawValue: "seed \(seed), order \(order)")
            #expect(folded.state == reference.state, context)
            Self.checkCommands(folded.commands, final: folded.state, context: context)
            // The encoded state is the same too: what the changelog carries does not depend on arrival.
            #expect(LeadStateCodec.encode(folded.state) == LeadStateCodec.encode(reference.state), context)
        }
    }

    @Test("the scenario of the issue: engagement seen before the re-registration it follows")
    func engagementBeforeReRegistration() throws {
        let rules = Fixtures.rules
        let registered = Fixtures.attendee(.granular(.registered), id: "reg", at: 0)
        let unregistered = Fixtures.attendee(.granular(.unregistered), id: "unreg", at: 60_000)
        let again = Fixtures.attendee(.granular(.registeredNoConfirmationRequired), id: "again", at: 120_000)
        let keynote = Fixtures.engagement(id: "keynote", at: 600_000, plays: 1)
        let inTime: [InputEvent] = [
            .attendeeStatus(registered), .attendeeStatus(unregistered), .attendeeStatus(again), .engagement(keynote),
        ]
        let engagementFirst: [InputEvent] = [
            .engagement(keynote), .attendeeStatus(registered), .attendeeStatus(unregistered), .attendeeStatus(again),
        ]
        var states: [LeadState] = []
        for events in [inTime, engagementFirst] {
            var state = LeadState()
            for event in events { _ = LeadFold.apply(event, to: &state, rules: rules, now: Fixtures.t0) }
            states.append(state)
        }
        #expect(states[0].membership(for: Fixtures.event)?.status == .participated)
        #expect(states[1] == states[0])
    }
}

extension EventTimePropertyTests {
    @Test("the cases exercise what they are meant to: late events, corrections, derivations, ties, duplicates")
    func coverage() {
        var late = 0
        var corrections = 0
        var derived = 0
        var reRegistrations = 0
        var duplicates = 0
        var ties = 0
        for seed in 0..<UInt64(60) {
            let events = Self.eventSet(seed: seed)
            let keys = events.map(Self.key(of:))
            ties += Set(keys.map(\.occurredAt)).count < Set(keys).count ? 1 : 0
            var random = SplitMix64(seed: seed &+ 1_000_003)
            var state = LeadState()
            for event in events.shuffled(using: &random) {
                let outcome = LeadFold.apply(event, to: &state, rules: Self.rules, now: Self.now)
                late += outcome.isLate ? 1 : 0
                corrections += outcome.applied.filter(\.isCorrection).count
                derived += outcome.applied.filter(\.isDerived).count
                duplicates += outcome.isDuplicate ? 1 : 0
            }
            for timeline in state.timelines {
                reRegistrations += timeline.outcomes(rules: Self.rules).filter { $0.outcome == .allowedBackward }.count
            }
        }
        print(
            "event-time cases: \(late) late, \(corrections) corrections, \(derived) derived, "
                + "\(reRegistrations) re-registrations, \(duplicates) duplicates, \(ties) sets with ties"
        )
        #expect(late >= 60)
        #expect(corrections >= 20)
        #expect(derived >= 20)
        #expect(reRegistrations >= 5)
        #expect(duplicates >= 20)
        #expect(ties >= 20)
    }
}
