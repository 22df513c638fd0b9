import LeadModel
import Operations
import Testing

@Suite("leadsync state get: the lead report")
struct LeadStateReportTests {
    static let event = "summit-2026"
    static let rules = TenantRules(tenant: "acme", eventMappings: [event: EventMapping(marketoProgramId: 1001)])
    static let key = LeadKey(tenant: "acme", email: "jane.doe@example.com")
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_795_341_600_000)  // 2026-11-22T10:00:00Z

    static func attendee(_ status: ReportedStatus, _ id: String, minute: Int64, key: LeadKey) -> InputEvent {
        .attendeeStatus(
            AttendeeStatusEvent(
                eventId: id,
                leadKey: key,
                occurredAt: t0.adding(milliseconds: minute * 60_000),
                virtualEventId: event,
                userId: "jane.doe",
                status: status,
                profile: nil
            )
        )
    }

    @Test("the timeline is in occurredAt order whatever the arrival, each entry with what it did and the status after")
    func timelineInEventTime() throws {
        let key = try #require(Self.key)
        var plays = EngagementMetrics()
        plays.plays = 1
        let keynote = InputEvent.engagement(
            EngagementEvent(
                eventId: "keynote",
                leadKey: key,
                occurredAt: Self.t0.adding(milliseconds: 50 * 60_000),
                virtualEventId: Self.event,
                userId: nil,
                entry: EngagementEntry(id: "1_keynote", name: "Keynote"),
                channel: .unknown,
                sessionEnded: false,
                metrics: plays
            )
        )
        // Arrival: the engagement first, then the statuses backwards.
        let arrivals: [InputEvent] = [
            keynote,
            Self.attendee(.granular(.registeredNoConfirmationRequired), "again", minute: 30, key: key),
            Self.attendee(.granular(.unregistered), "unreg", minute: 20, key: key),
            Self.attendee(.channel(.autoConfirmed), "equal", minute: 15, key: key),
            Self.attendee(.granular(.registered), "reg", minute: 10, key: key),
        ]
        var state = LeadState()
        for event in arrivals { _ = LeadFold.apply(event, to: &state, rules: Self.rules, now: Self.t0) }
        let report = LeadStateReport.render(state, key: key, rules: Self.rules)
        let lines = report.split(separator: "\n").map(String.init)
        let timeline = try #require(lines.firstIndex { $0.hasPrefix("timeline of summit-2026") })
        let entries = Array(lines[(timeline + 1)...].prefix { $0.hasPrefix("  2026-") })
        #expect(entries.count == 5)
        let expected: [(String, String, String)] = [
            ("10:10", "Registered (Registered)  applied", "-> Registered"),
            ("10:15", "autoConfirmed  applied", "-> autoConfirmed"),
            ("10:20", "Un-registered (Un-registered)  applied", "-> Un-registered"),
            (
                "10:30",
                "autoConfirmed (Registered no confirmation required)  applied: allowed backward transition "
                    + "(re-registration)", "-> autoConfirmed"
            ),
            ("10:50", "engagement  derived Participated", "-> Participated"),
        ]
        for (line, (time, what, after)) in zip(entries, expected) {
            #expect(line.contains("2026-11-22T\(time)"), "\(line)")
            #expect(line.contains(what), "\(line)")
            #expect(line.hasSuffix(after), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("  summit-2026: Participated (step 60)") && $0.contains("derived") })
    }

    @Test("equal steps and refused backward steps say so")
    func rejectionsSaySo() throws {
        let key = try #require(Self.key)
        var state = LeadState()
        for event in [
            Self.attendee(.channel(.confirmed), "confirmed", minute: 1, key: key),
            Self.attendee(.channel(.autoConfirmed), "auto", minute: 2, key: key),
            Self.attendee(.channel(.invited), "invited", minute: 3, key: key),
        ] {
            _ = LeadFold.apply(event, to: &state, rules: Self.rules, now: Self.t0)
        }
        let report = LeadStateReport.render(state, key: key, rules: Self.rules)
        #expect(report.contains("autoConfirmed  rejected: equal_step  -> Confirmed"))
        #expect(report.contains("Invited  rejected: backward_not_allowed  -> Confirmed"))
    }
}
