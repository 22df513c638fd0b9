// MARK: - The lead's journey

extension LeadScript {
    /// The lead's valid events in `occurredAt` order: exactly `eventsPerLead` of them, for one virtual event of
    /// its tenant, or two (one in five leads, when the tenant has several and the lead has 4 events or more).
    mutating func plannedEvents() -> [PlannedEvent] {
        let plan = prepared.plan
        let count = plan.eventsPerLead
        let eventChoices = tenant.virtualEventIds.count
        var virtualEvents = [random.below(eventChoices)]
        if eventChoices > 1, count >= 4, random.chance(0.2) {
            virtualEvents.append((virtualEvents[0] + 1 + random.below(eventChoices - 1)) % eventChoices)
        }
        let shares = virtualEvents.count == 1 ? [count] : [count - count / 2, count / 2]
        let journeyStart = plan.startTime.millisecondsSinceEpoch + random.within(0...plan.spreadMilliseconds)

        var events: [PlannedEvent] = []
        events.reserveCapacity(count)
        for (position, (virtualEvent, share)) in zip(virtualEvents, shares).enumerated() {
            let start = journeyStart + (position == 0 ? 0 : random.within(Int64(0)...3 * 86_400_000))
            appendJourney(to: &events, virtualEventIndex: virtualEvent, count: share, start: start)
        }
        if virtualEvents.count > 1 {
            // Merge the two journeys by time; ties keep journey order, so the result does not depend on the sort.
            events = events.enumerated()
                .sorted { ($0.element.occurredAt, $0.offset) < ($1.element.occurredAt, $1.offset) }
                .map(\.element)
        }
        return events
    }

    /// Status changes (cut to `count`), then engagement snapshots for the rest.
    private mutating func appendJourney(
        to events: inout [PlannedEvent],
        virtualEventIndex: Int,
        count: Int,
        start: Int64
    ) {
        var statuses = statusJourney()
        if statuses.count > count { statuses.removeLast(statuses.count - count) }
        var clock = start
        for name in statuses {
            clock += random.within(Int64(60_000)...36 * 3_600_000)
            let includesProfile = LeadScript.registrationStatuses.contains(name) || random.chance(0.2)
            events.append(
                plannedEvent(.status(name: name, includesProfile: includesProfile), virtualEventIndex, at: clock)
            )
        }
        let snapshotCount = count - statuses.count
        guard snapshotCount > 0 else { return }
        let entryCount = min(snapshotCount, 1 + random.below(3))
        var snapshotsPerEntry = [Int](repeating: 1, count: entryCount)
        for _ in 0..<(snapshotCount - entryCount) { snapshotsPerEntry[random.below(entryCount)] += 1 }
        for snapshots in snapshotsPerEntry {
            var session = EntrySession(&random)
            let ends = random.chance(0.7)
            clock += random.within(Int64(60_000)...1_800_000)
            for snapshot in 0..<snapshots {
                clock += random.within(Int64(30_000)...300_000)
                let values = session.advance(&random, sessionEnded: ends && snapshot == snapshots - 1)
                events.append(plannedEvent(.engagement(values), virtualEventIndex, at: clock))
            }
        }
    }

    /// Registration statuses carry the registration form (the profile).
    static let registrationStatuses: Set<String> = [
        "Registered", "Registered no confirmation required", "SSO login", "autoConfirmed",
    ]

    /// A realistic sequence of status names: invitation, registration (with or without confirmation, sometimes
    /// un-registering and registering again), attendance; a few leads are blocked, a few get a stale repeat.
    mutating func statusJourney() -> [String] {
        var journey: [String] = []
        if random.chance(0.04) { journey.append("Created") }
        if random.chance(0.55) { journey.append(random.pick(SimulationVocabulary.invitations)) }
        if random.chance(0.02) {
            journey.append("Blocked")
            return journey
        }
        appendRegistration(to: &journey)
        if random.chance(0.08) {
            journey.append("Un-registered")
            guard random.chance(0.6) else { return journey }
            appendRegistration(to: &journey)
        }
        if random.chance(0.02) {
            journey.append("Blocked")
            return journey
        }
        // A late repeat of an earlier step: stale for the fold.
        if random.chance(0.05) { journey.append("Registered") }
        let attendance = random.unit()
        if attendance < 0.35 {
            journey.append("Pre-event visit")
            journey.append("During-event visit")
        } else if attendance < 0.6 {
            journey.append("During-event visit")
        } else if attendance < 0.7 {
            journey.append("Pre-event visit")
        } else if attendance < 0.78 {
            journey.append("Attended")
        }
        return journey
    }

    private mutating func appendRegistration(to journey: inout [String]) {
        let choice = random.unit()
        if choice < 0.45 {
            journey.append("Registered")
            if random.chance(0.75) { journey.append(random.pick(SimulationVocabulary.confirmations)) }
        } else if choice < 0.75 {
            journey.append("Registered no confirmation required")
        } else if choice < 0.85 {
            journey.append("autoConfirmed")
        } else {
            journey.append("SSO login")
            if random.chance(0.5) { journey.append("Confirmed email") }
        }
    }

    /// An event with a fresh id and a randomly chosen (but equivalent) spelling of its time.
    mutating func plannedEvent(
        _ payload: PlannedEvent.Payload,
        _ virtualEventIndex: Int,
        at clock: Int64
    ) -> PlannedEvent {
        let form: JSONBodyWriter.TimeForm
        var occurredAt = clock
        let choice = random.unit()
        if choice < 0.75 {
            form = .milliseconds
        } else if choice < 0.9 {
            form = .seconds
            occurredAt -= ((occurredAt % 1000) + 1000) % 1000
        } else {
            form = .offset(minutes: random.pick(LeadScript.zoneOffsets))
        }
        return PlannedEvent(
            payload: payload,
            virtualEventIndex: virtualEventIndex,
            occurredAt: occurredAt,
            timeForm: form,
            eventId: JSONBodyWriter.uuidText(random.next(), random.next())
        )
    }

    private static let zoneOffsets = [60, 120, -300, 330, -480, 540, -180]
}
