import LeadModel
import Testing

@Suite("Lead fold: statuses")
struct LeadFoldStatusTests {
    let rules = Fixtures.rules
    let now = Fixtures.t0

    @Test("allowed backward transitions need a strictly later occurredAt")
    func allowedBackward() {
        // Later: re-registration. Same millisecond: ordered by the event id's digest, and after the
        // un-registration it is backward_older; earlier: folded in before the un-registration, which then wins.
        for (offset, applied) in [(1 as Int64, true), (0, false), (-1, false)] {
            var state = Fixtures.state(at: .unregistered)
            let outcome = LeadFold.apply(
                Fixtures.attendee(.granular(.registered), id: "re", at: offset),
                to: &state,
                rules: rules,
                now: now
            )
            if applied {
                #expect(outcome.applied.map(\.to) == [.registered])
                #expect(outcome.applied.first?.granularStatus == .registered)
                #expect(state.membership(for: Fixtures.event)?.status == .registered)
            } else {
                #expect(outcome.applied.isEmpty)
                #expect(outcome.commands.isEmpty)
                #expect(state.membership(for: Fixtures.event)?.status == .unregistered)
                let reEntry = TimelineKey(
                    occurredAt: Fixtures.t0.adding(milliseconds: offset),
                    eventDigest: EventDigest(eventId: "re")
                )
                let setEntry = TimelineKey(occurredAt: Fixtures.t0, eventDigest: EventDigest(eventId: "set"))
                let isAfter = setEntry < reEntry
                #expect(outcome.rejections.map(\.reason) == (isAfter ? [.backwardOlder] : []))
                #expect(outcome.isLate == !isAfter)
            }
        }
    }

    @Test("a tenant can allow other backward transitions, or none")
    func tenantBackwardList() {
        var custom = rules
        custom.allowedBackwardTransitions = [StatusTransition(from: .blocked, to: .registered)]
        var blocked = Fixtures.state(at: .blocked)
        let unblocked = LeadFold.apply(
            Fixtures.attendee(.registered, id: "r", at: 5),
            to: &blocked,
            rules: custom,
            now: now
        )
        #expect(unblocked.applied.map(\.to) == [.registered])

        var unregistered = Fixtures.state(at: .unregistered)
        let refused = LeadFold.apply(
            Fixtures.attendee(.registered, id: "r", at: 5),
            to: &unregistered,
            rules: custom,
            now: now
        )
        #expect(refused.rejections.map(\.reason) == [.backwardNotAllowed])
    }

    @Test("equal steps keep the first: autoConfirmed does not replace Confirmed nor the reverse")
    func equalStepKeepsFirst() {
        var state = Fixtures.state(at: .confirmed)
        let outcome = LeadFold.apply(
            Fixtures.attendee(.autoConfirmed, id: "a", at: 10),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(outcome.rejections.map(\.reason) == [.equalStep])
        #expect(state.membership(for: Fixtures.event)?.status == .confirmed)
    }

    @Test("a duplicate attendee event changes nothing, even after a re-registration")
    func duplicateAttendee() {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.attendee(.attended, id: "e1", at: 0), to: &state, rules: rules, now: now)
        _ = LeadFold.apply(Fixtures.attendee(.unregistered, id: "e2", at: 10), to: &state, rules: rules, now: now)
        _ = LeadFold.apply(Fixtures.attendee(.registered, id: "e3", at: 20), to: &state, rules: rules, now: now)
        let before = state
        // Without duplicate detection e1 (Attended, step 50 > 30) would be applied again.
        let outcome = LeadFold.apply(Fixtures.attendee(.attended, id: "e1", at: 0), to: &state, rules: rules, now: now)
        #expect(outcome.isDuplicate)
        #expect(outcome.rejections.map(\.reason) == [.duplicate])
        #expect(outcome.commands.isEmpty)
        #expect(outcome.applied.isEmpty)
        #expect(!outcome.stateChanged)
        #expect(state == before)
    }

    @Test("a timeline keeps 64 entries; older ones fold into its base, and events before it are beyond the horizon")
    func timelineBounded() throws {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.attendee(.invited, id: "first", at: 0), to: &state, rules: rules, now: now)
        for index in 1...70 {
            _ = LeadFold.apply(
                Fixtures.attendee(.invited, id: "again-\(index)", at: Int64(index) * 1_000),
                to: &state,
                rules: rules,
                now: now
            )
        }
        let timeline = try #require(state.timeline(for: Fixtures.event))
        #expect(timeline.entries.count == StatusTimeline.entryLimit)
        let base = try #require(timeline.base)
        #expect(base.result?.status == .invited)
        #expect(base.result?.eventDigest == EventDigest(eventId: "first"), "equal steps keep the first")
        #expect(base.horizon.occurredAt == Fixtures.t0.adding(milliseconds: 6_000))
        #expect(timeline.entries.first?.occurredAt == Fixtures.t0.adding(milliseconds: 7_000))
        #expect(state.membership(for: Fixtures.event)?.eventDigest == EventDigest(eventId: "first"))

        // An event older than the horizon can no longer be placed: it changes nothing, whatever its status.
        let before = state
        let old = LeadFold.apply(Fixtures.attendee(.attended, id: "old", at: 3_000), to: &state, rules: rules, now: now)
        #expect(old.rejections.map(\.reason) == [.beyondHorizon])
        #expect(old.commands.isEmpty)
        #expect(state == before)
        // A later one is placed as usual.
        let late = LeadFold.apply(
            Fixtures.attendee(.attended, id: "late", at: 9_500),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(late.isLate)
        #expect(late.applied.map(\.to) == [.attended])
        #expect(late.applied.first?.isCorrection == true)
    }

    @Test("statuses of different events are independent")
    func eventsIndependent() {
        var state = Fixtures.state(at: .attended)
        var multi = rules
        multi.eventMappings["other"] = EventMapping(marketoProgramId: 2002)
        let outcome = LeadFold.apply(
            Fixtures.attendee(.registered, id: "o", event: "other"),
            to: &state,
            rules: multi,
            now: now
        )
        #expect(outcome.applied.map(\.to) == [.registered])
        #expect(outcome.commands.map(\.target) == [.marketo(programId: 2002)])
        #expect(state.membership(for: Fixtures.event)?.status == .attended)
        #expect(state.membership(for: "other")?.status == .registered)
    }

    @Test("tenant status overrides apply in the fold")
    func overridesInFold() {
        var custom = rules
        custom.statusMapping = StatusMapping(overrides: [.preEventVisit: .registered])
        var state = LeadState()
        let outcome = LeadFold.apply(
            Fixtures.attendee(.granular(.preEventVisit), id: "p"),
            to: &state,
            rules: custom,
            now: now
        )
        #expect(outcome.applied.map(\.to) == [.registered])
        #expect(outcome.applied.first?.granularStatus == .preEventVisit)
    }

    @Test("commands go to every enabled, mapped destination and carry the lead's data")
    func commandsPerDestination() throws {
        var state = LeadState()
        let event = Fixtures.attendee(
            .granular(.confirmedEmail),
            id: "e1",
            profile: Fixtures.profile,
            userId: "jane.doe"
        )
        let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
        #expect(outcome.commands.count == 2)
        let marketo = try #require(outcome.commands.first)
        #expect(marketo.kind == .memberStatus)
        #expect(marketo.target == .marketo(programId: Fixtures.programId))
        #expect(marketo.leadKey == Fixtures.key)
        #expect(marketo.email == "jane.doe@example.com")
        #expect(marketo.tenant == "acme")
        #expect(marketo.userId == "jane.doe")
        #expect(marketo.profile == Fixtures.profile)
        #expect(marketo.sourceEventId == "e1")
        #expect(marketo.occurredAt == Fixtures.t0)
        #expect(
            marketo.payload == .memberStatus(MemberStatusChange(status: .confirmed, granularStatus: .confirmedEmail))
        )
        #expect(outcome.commands.last?.target == .salesforce(campaignId: Fixtures.campaignId))

        var marketoOnly = rules
        marketoOnly.destinations = [.marketo]
        var other = LeadState()
        #expect(
            LeadFold.apply(event, to: &other, rules: marketoOnly, now: now).commands.map(\.destination) == [.marketo]
        )

        var salesforceMappedOnly = rules
        salesforceMappedOnly.eventMappings[Fixtures.event] = EventMapping(salesforceCampaignId: "701X")
        var third = LeadState()
        let mapped = LeadFold.apply(event, to: &third, rules: salesforceMappedOnly, now: now)
        #expect(mapped.commands.map(\.target) == [.salesforce(campaignId: "701X")])
    }

    @Test("the profile follows the latest attendee event that carried one, by occurredAt")
    func latestProfile() {
        var state = LeadState()
        let newer = LeadProfile(firstName: "Janet")
        _ = LeadFold.apply(
            Fixtures.attendee(.granular(.registered), id: "a", at: 100, profile: newer),
            to: &state,
            rules: rules,
            now: now
        )
        // An older event's profile (even with a status that applies) does not overwrite a newer one.
        _ = LeadFold.apply(
            Fixtures.attendee(.granular(.preEventVisit), id: "b", at: 50, profile: Fixtures.profile),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(state.profile == newer)
        // A newer event's profile replaces it even when its status is stale.
        let newest = LeadProfile(firstName: "J.")
        let stale = LeadFold.apply(
            Fixtures.attendee(.granular(.registered), id: "c", at: 200, profile: newest),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(stale.rejections.map(\.reason) == [.backwardNotAllowed])
        #expect(state.profile == newest)
        #expect(state.profileOccurredAt == Fixtures.t0.adding(milliseconds: 200))
    }
}

@Suite("Tenant directory")
struct TenantDirectoryTests {
    let directory = TenantDirectory([
        Fixtures.rules,
        TenantRules(
            tenant: "sf-only",
            eventMappings: ["e": EventMapping(marketoProgramId: 1)],
            destinations: [.salesforce]
        ),
    ])

    @Test("configured and mapped events pass")
    func passes() throws {
        let event = try InputEventDecoder().decode(Fixtures.attendeeJSON)
        #expect(directory.validate(event) == nil)
        #expect(directory.rules(for: "acme") == Fixtures.rules)
    }

    @Test("unknown tenants are rejected")
    func unknownTenant() throws {
        let event = try InputEventDecoder().decode(Fixtures.attendeeJSON.replacingFirst(#""acme""#, with: #""globex""#))
        let rejection = try #require(directory.validate(event))
        #expect(rejection.code == .unknownTenant)
        #expect(rejection.field == "tenant")
        #expect(rejection.message == "tenant 'globex' is not configured")
    }

    @Test("events mapped to no enabled destination are rejected")
    func unmapped() throws {
        let unmapped = InputEvent.attendeeStatus(Fixtures.attendee(.registered, id: "x", event: "webinar-9"))
        let rejection = try #require(directory.validate(unmapped))
        #expect(rejection.code == .unmappedEvent)
        #expect(rejection.field == "virtualEventId")
        #expect(
            rejection.message
                == "virtualEventId 'webinar-9' of tenant 'acme' is mapped to none of its enabled destinations "
                + "(marketo, salesforce)"
        )

        // Mapped only to Marketo while only Salesforce is enabled: still unmapped.
        let key = LeadKey(validatedTenantForTests: "sf-only", email: "a@b.co")
        var event = Fixtures.attendee(.registered, id: "y", event: "e")
        event.leadKey = key
        #expect(directory.validate(.attendeeStatus(event))?.code == .unmappedEvent)
    }
}
