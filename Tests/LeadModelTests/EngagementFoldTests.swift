import LeadModel
import Testing

@Suite("Lead fold: engagement and Participated")
struct EngagementFoldTests {
    let rules = Fixtures.rules
    let now = Fixtures.t0
    let window = TenantRules.defaultSettleWindowMilliseconds

    // MARK: - Participated

    @Test(
        "each trigger derives Participated at the engagement's occurredAt",
        arguments: [(1 as Int?, nil as Double?, nil as Double?), (nil, 0.5, nil), (nil, nil, 0.1)]
    )
    func participatedTriggers(plays: Int?, live: Double?, vod: Double?) throws {
        var state = Fixtures.state(at: .attended)
        let event = Fixtures.engagement(id: "g1", at: 500, plays: plays, liveMinutes: live, vodMinutes: vod)
        let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
        let transition = try #require(outcome.applied.first)
        #expect(outcome.applied.count == 1)
        #expect(transition.to == .participated)
        #expect(transition.from == .attended)
        #expect(transition.isDerived)
        #expect(transition.occurredAt == event.occurredAt)
        #expect(transition.eventId == "g1")
        #expect(state.membership(for: Fixtures.event)?.status == .participated)
        let outcomes = try #require(state.timeline(for: Fixtures.event)?.outcomes(rules: rules))
        #expect(outcomes.last?.outcome == .derived)
        // Status commands come first (membership before engagement), then the upserts.
        #expect(outcome.commands.map(\.kind) == [.memberStatus, .memberStatus, .engagementUpsert, .engagementUpsert])
        #expect(
            outcome.commands.first?.payload
                == .memberStatus(MemberStatusChange(status: .participated, previousStatus: .attended, isDerived: true))
        )
    }

    @Test("zero or unknown metrics do not derive Participated")
    func noTrigger() {
        var state = Fixtures.state(at: .attended)
        let zero = LeadFold.apply(
            Fixtures.engagement(id: "g1", plays: 0, liveMinutes: 0, vodMinutes: 0),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(zero.applied.isEmpty)
        let unknown = LeadFold.apply(Fixtures.engagement(id: "g2", at: 1), to: &state, rules: rules, now: now)
        #expect(unknown.applied.isEmpty)
        #expect(state.membership(for: Fixtures.event)?.status == .attended)
    }

    @Test(
        "Participated is derived at or below Attended, and without a status, only",
        arguments: Array([nil] + ChannelStatus.allCases)
    )
    func participatedOnlyUpToAttended(current: ChannelStatus?) {
        var state = Fixtures.state(at: current)
        let outcome = LeadFold.apply(Fixtures.engagement(id: "g1", at: 1, plays: 3), to: &state, rules: rules, now: now)
        let expected = (current?.step ?? 0) <= 50
        #expect(outcome.applied.map(\.to) == (expected ? [.participated] : []))
        #expect(outcome.rejections.isEmpty, "not deriving is not a rejection")
        #expect(state.membership(for: Fixtures.event)?.status == (expected ? .participated : current))
    }

    @Test("Participated is derived once; later engagement leaves it")
    func participatedOnce() {
        var state = Fixtures.state(at: .registered)
        _ = LeadFold.apply(Fixtures.engagement(id: "g1", at: 1, plays: 1), to: &state, rules: rules, now: now)
        let second = LeadFold.apply(
            Fixtures.engagement(id: "g2", entry: "1_other", at: 2, plays: 5),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(second.applied.isEmpty)
        #expect(second.commands.map(\.kind) == [.engagementUpsert, .engagementUpsert])
    }

    @Test("the rule can be disabled or given thresholds")
    func ruleConfiguration() {
        var disabled = rules
        disabled.participatedRule = .disabled
        var state = Fixtures.state(at: .attended)
        #expect(
            LeadFold.apply(
                Fixtures.engagement(id: "g1", plays: 9, liveMinutes: 90),
                to: &state,
                rules: disabled,
                now: now
            ).applied.isEmpty
        )

        var strict = rules
        strict.participatedRule = ParticipatedRule(liveMinutesAbove: 5, vodMinutesAbove: 10, playsAbove: 2)
        var other = Fixtures.state(at: .attended)
        let below = LeadFold.apply(
            Fixtures.engagement(id: "g2", at: 1, plays: 2, liveMinutes: 5, vodMinutes: 10),
            to: &other,
            rules: strict,
            now: now
        )
        #expect(below.applied.isEmpty)
        let above = LeadFold.apply(
            Fixtures.engagement(id: "g3", at: 2, liveMinutes: 5.5),
            to: &other,
            rules: strict,
            now: now
        )
        #expect(above.applied.map(\.to) == [.participated])
    }

    // MARK: - Snapshots

    @Test("the latest snapshot in event time wins; earlier ones are stale and change nothing")
    func latestSnapshot() throws {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.engagement(id: "s2", at: 2000, plays: 2), to: &state, rules: rules, now: now)
        let before = state
        // Without metrics that meet the Participated rule, so the stale ones are no timeline candidates either.
        // In the same millisecond the event id's digest orders the two snapshots.
        let s2 = TimelineKey(
            occurredAt: Fixtures.t0.adding(milliseconds: 2000),
            eventDigest: EventDigest(eventId: "s2")
        )
        let sameTime = "s2b"
        let sameTimeIsLater =
            s2
            < TimelineKey(
                occurredAt: Fixtures.t0.adding(milliseconds: 2000),
                eventDigest: EventDigest(eventId: sameTime)
            )
        for (id, offset) in [("s1", 1000 as Int64)] + (sameTimeIsLater ? [] : [(sameTime, 2000 as Int64)]) {
            let outcome = LeadFold.apply(Fixtures.engagement(id: id, at: offset), to: &state, rules: rules, now: now)
            #expect(outcome.rejections.map(\.reason) == [.staleEngagement])
            #expect(outcome.commands.isEmpty)
            #expect(!outcome.stateChanged)
            #expect(state == before)
        }
        let newer = LeadFold.apply(
            Fixtures.engagement(id: "s3", at: 3000, plays: 3),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(newer.rejections.isEmpty)
        let upserts = newer.commands.filter { $0.kind == .engagementUpsert }
        #expect(upserts.map(\.destination) == [.marketo, .salesforce])
        guard case .engagementUpsert(let snapshot) = try #require(upserts.first).payload else {
            Issue.record("not an upsert")
            return
        }
        #expect(snapshot.metrics.plays == 3)
        #expect(snapshot.entry == EngagementEntry(id: "1_abcd1234", name: "Session 1_abcd1234"))
        #expect(snapshot.channel == EngagementChannel(id: 12, name: "Main stage"))
        #expect(
            state.engagement(virtualEventId: Fixtures.event, entryId: "1_abcd1234")?.occurredAt
                == Fixtures.t0.adding(milliseconds: 3000)
        )
    }

    @Test("an engagement earlier than the entry's latest snapshot still derives Participated at its time")
    func staleSnapshotIsCandidate() throws {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.attendee(.registered, id: "r", at: 0), to: &state, rules: rules, now: now)
        _ = LeadFold.apply(Fixtures.attendee(.unregistered, id: "u", at: 3000), to: &state, rules: rules, now: now)
        // The latest snapshot came after the un-registration: no Participated.
        _ = LeadFold.apply(Fixtures.engagement(id: "g2", at: 4000, plays: 2), to: &state, rules: rules, now: now)
        #expect(state.membership(for: Fixtures.event)?.status == .unregistered)
        // An earlier snapshot (stale for the entry) happened while the lead was registered: it derives Participated
        // at its time, and the un-registration after it still wins.
        let early = LeadFold.apply(
            Fixtures.engagement(id: "g1", at: 1000, plays: 1),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(early.rejections.map(\.reason) == [.staleEngagement])
        #expect(early.isLate)
        #expect(early.commands.isEmpty)
        let outcomes = try #require(state.timeline(for: Fixtures.event)?.outcomes(rules: rules)).map(\.outcome)
        #expect(outcomes == [.applied, .derived, .applied, .notDerived])
        // A re-registration between the two snapshots makes the later one derive Participated again.
        let again = LeadFold.apply(
            Fixtures.attendee(.registered, id: "r2", at: 3500),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(again.isLate)
        #expect(again.applied.map(\.to) == [.participated])
        #expect(again.applied.first?.isDerived == true)
        #expect(again.applied.first?.isCorrection == true)
        #expect(again.applied.first?.occurredAt == Fixtures.t0.adding(milliseconds: 4000))
        #expect(again.commands.map(\.sourceEventId) == ["r2", "r2"], "the event whose fold caused the command")
        #expect(state.membership(for: Fixtures.event)?.isDerived == true)
    }

    @Test("a duplicate engagement event changes nothing")
    func duplicateEngagement() {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.engagement(id: "g1", at: 10, plays: 1), to: &state, rules: rules, now: now)
        let before = state
        let outcome = LeadFold.apply(
            Fixtures.engagement(id: "g1", at: 10, plays: 1),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(outcome.rejections.map(\.reason) == [.duplicate])
        #expect(outcome.commands.isEmpty && outcome.applied.isEmpty && !outcome.stateChanged)
        #expect(state == before)
    }

    @Test("entries and events have separate snapshots")
    func separateEntries() {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.engagement(id: "a", entry: "1_a", at: 10), to: &state, rules: rules, now: now)
        let other = LeadFold.apply(
            Fixtures.engagement(id: "b", entry: "1_b", at: 5),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(other.rejections.isEmpty)
        #expect(state.engagements.map(\.entryId) == ["1_a", "1_b"])
    }

    // MARK: - Custom activity

    @Test("sessionEnded emits the Marketo custom activity at once, and only once")
    func sessionEnded() throws {
        var state = LeadState()
        let outcome = LeadFold.apply(
            Fixtures.engagement(id: "end", at: 10, plays: 1, sessionEnded: true),
            to: &state,
            rules: rules,
            now: now
        )
        let activities = outcome.commands.filter { $0.kind == .engagementActivity }
        #expect(activities.count == 1)
        let activity = try #require(activities.first)
        #expect(activity.target == .marketo(programId: Fixtures.programId))
        #expect(activity.sourceEventId == "end")
        guard case .engagementActivity(let snapshot) = activity.payload else {
            Issue.record("not an activity")
            return
        }
        #expect(snapshot.sessionEnded)
        #expect(snapshot.metrics.plays == 1)
        #expect(state.engagements.first?.isActivityEmitted == true)

        // A later snapshot still upserts but never emits the activity again, nor does the timer.
        let later = LeadFold.apply(
            Fixtures.engagement(id: "late", at: 20, plays: 2, sessionEnded: true),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(later.commands.map(\.kind) == [.engagementUpsert, .engagementUpsert])
        #expect(
            LeadFold.dueActivities(
                for: Fixtures.key,
                in: &state,
                rules: rules,
                now: now.adding(milliseconds: window * 10)
            ).isEmpty
        )
    }

    @Test("the settle timer: not due before the window, due at it, emitted once")
    func settleTimer() throws {
        var state = LeadState()
        let outcome = LeadFold.apply(
            Fixtures.engagement(id: "g1", at: 10, plays: 1),
            to: &state,
            rules: rules,
            now: now
        )
        #expect(!outcome.commands.contains { $0.kind == .engagementActivity })
        #expect(LeadFold.nextActivityDue(in: state, rules: rules) == now.adding(milliseconds: window))

        let early = LeadFold.dueActivities(
            for: Fixtures.key,
            in: &state,
            rules: rules,
            now: now.adding(milliseconds: window - 1)
        )
        #expect(early.isEmpty)

        // A newer snapshot restarts the window from its own arrival.
        let restart = now.adding(milliseconds: 60_000)
        _ = LeadFold.apply(Fixtures.engagement(id: "g2", at: 20, plays: 2), to: &state, rules: rules, now: restart)
        #expect(
            LeadFold.dueActivities(for: Fixtures.key, in: &state, rules: rules, now: now.adding(milliseconds: window))
                .isEmpty
        )

        let due = LeadFold.dueActivities(
            for: Fixtures.key,
            in: &state,
            rules: rules,
            now: restart.adding(milliseconds: window)
        )
        #expect(due.count == 1)
        let activity = try #require(due.first)
        #expect(activity.kind == .engagementActivity)
        #expect(activity.sourceEventId == "g2")
        #expect(activity.occurredAt == Fixtures.t0.adding(milliseconds: 20))
        #expect(LeadFold.nextActivityDue(in: state, rules: rules) == nil)
        #expect(
            LeadFold.dueActivities(
                for: Fixtures.key,
                in: &state,
                rules: rules,
                now: restart.adding(milliseconds: 2 * window)
            ).isEmpty
        )
    }

    @Test("folding any later event also emits activities that are due")
    func dueOnLaterEvent() {
        var state = LeadState()
        _ = LeadFold.apply(Fixtures.engagement(id: "g1", at: 10), to: &state, rules: rules, now: now)
        let later = now.adding(milliseconds: window)
        let outcome = LeadFold.apply(
            Fixtures.attendee(.attended, id: "a1", at: 30),
            to: &state,
            rules: rules,
            now: later
        )
        #expect(outcome.commands.map(\.kind) == [.memberStatus, .memberStatus, .engagementActivity])
    }

    @Test("without a Marketo target no activity is sent and the entry settles at once")
    func salesforceOnly() {
        var salesforce = rules
        salesforce.destinations = [.salesforce]
        var state = LeadState()
        let outcome = LeadFold.apply(
            Fixtures.engagement(id: "g1", at: 10, sessionEnded: true),
            to: &state,
            rules: salesforce,
            now: now
        )
        #expect(outcome.commands.map(\.kind) == [.engagementUpsert])
        #expect(state.engagements.first?.isActivityEmitted == true)
        #expect(LeadFold.nextActivityDue(in: state, rules: salesforce) == nil)
    }
}
