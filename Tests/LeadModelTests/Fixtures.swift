import LeadModel

// MARK: - Shared test data

/// Events, rules and keys the suites share.
enum Fixtures {
    static let tenant = "acme"
    static let event = "summit-2026"
    static let programId = 1001
    static let campaignId = "701000000000001AAA"
    static let key = LeadKey(validatedTenantForTests: "acme", email: "jane.doe@example.com")
    static let t0 = Timestamp(millisecondsSinceEpoch: 1_795_341_600_000)  // 2026-11-22T10:00:00Z

    /// Both destinations mapped, docs/architecture.md's defaults otherwise.
    static let rules = TenantRules(
        tenant: tenant,
        eventMappings: [event: EventMapping(marketoProgramId: programId, salesforceCampaignId: campaignId)]
    )

    static let attendeeJSON = """
        {
          "type": "attendee.status",
          "version": 1,
          "eventId": "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10",
          "tenant": "acme",
          "occurredAt": "2026-11-22T10:00:00.123Z",
          "virtualEventId": "summit-2026",
          "email": "Jane.Doe@Example.com",
          "userId": "jane.doe",
          "status": "Confirmed email",
          "profile": {
            "firstName": "Jane", "lastName": "Doe", "company": "Example Inc",
            "title": "CTO", "country": "US", "phone": "+1 555 0100",
            "custom": { "industry": "Software" }
          }
        }
        """

    static let engagementJSON = """
        {
          "type": "engagement.session",
          "version": 1,
          "eventId": "c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e21",
          "tenant": "acme",
          "occurredAt": "2026-11-22T10:45:00Z",
          "virtualEventId": "summit-2026",
          "email": "jane.doe@example.com",
          "userId": "jane.doe",
          "entry": { "id": "1_abcd1234", "name": "Opening keynote" },
          "channel": { "id": 12, "name": "Main stage" },
          "sessionEnded": false,
          "metrics": {
            "plays": 1,
            "vod_minutes_viewed": 0.0,
            "live_minutes_viewed": 32.5,
            "total_vod_completion_rate": 0.0,
            "no_live_engagement_rate": 0.05,
            "low_live_engagement_rate": 0.10,
            "fair_live_engagement_rate": 0.15,
            "good_live_engagement_rate": 0.30,
            "high_live_engagement_rate": 0.40,
            "clap_clicked_count": 2,
            "heart_clicked_count": 1,
            "think_clicked_count": 0,
            "wow_clicked_count": 0,
            "smile_clicked_count": 3,
            "answered_polls": 1,
            "messages_sent_group": 4,
            "qna_threads": 1,
            "combined_live_engaged_users_play_time_ratio": 0.82,
            "download_attachment": 0,
            "add_to_calendar": 1,
            "mic_on": 0.0,
            "cam_on": 0.0,
            "total_reactions_activity": 6,
            "raise_hand": 0
          }
        }
        """

    static let profile = LeadProfile(
        firstName: "Jane",
        lastName: "Doe",
        company: "Example Inc",
        title: "CTO",
        country: "US",
        phone: "+1 555 0100",
        custom: ["industry": "Software"]
    )

    static func attendee(
        _ status: ReportedStatus,
        id: String,
        at offsetMilliseconds: Int64 = 0,
        event: String = Fixtures.event,
        profile: LeadProfile? = nil,
        userId: String? = nil
    ) -> AttendeeStatusEvent {
        AttendeeStatusEvent(
            eventId: id,
            leadKey: key,
            occurredAt: t0.adding(milliseconds: offsetMilliseconds),
            virtualEventId: event,
            userId: userId,
            status: status,
            profile: profile
        )
    }

    static func attendee(
        _ status: ChannelStatus,
        id: String,
        at offsetMilliseconds: Int64 = 0,
        event: String = Fixtures.event
    ) -> AttendeeStatusEvent {
        attendee(.channel(status), id: id, at: offsetMilliseconds, event: event)
    }

    static func engagement(
        id: String,
        entry: String = "1_abcd1234",
        at offsetMilliseconds: Int64 = 0,
        plays: Int? = nil,
        liveMinutes: Double? = nil,
        vodMinutes: Double? = nil,
        sessionEnded: Bool = false,
        event: String = Fixtures.event
    ) -> EngagementEvent {
        var metrics = EngagementMetrics()
        metrics.plays = plays
        metrics.liveMinutesViewed = liveMinutes
        metrics.vodMinutesViewed = vodMinutes
        return EngagementEvent(
            eventId: id,
            leadKey: key,
            occurredAt: t0.adding(milliseconds: offsetMilliseconds),
            virtualEventId: event,
            userId: "jane.doe",
            entry: EngagementEntry(id: entry, name: "Session \(entry)"),
            channel: EngagementChannel(id: 12, name: "Main stage"),
            sessionEnded: sessionEnded,
            metrics: metrics
        )
    }

    /// A lead at `status` in the fixture event, set by event `set` at `t0`.
    static func state(at status: ChannelStatus?) -> LeadState {
        var state = LeadState()
        if let status {
            _ = LeadFold.apply(attendee(status, id: "set"), to: &state, rules: rules, now: t0)
        }
        return state
    }
}

extension LeadKey {
    /// A key the tests know to be valid.
    init(validatedTenantForTests tenant: String, email: String) {
        guard let key = LeadKey(tenant: tenant, email: email) else {
            preconditionFailure("invalid fixture key \(tenant)/\(email)")
        }
        self = key
    }
}

extension InputEventDecoder {
    /// Decodes a string literal.
    func decode(_ text: String) throws(EventRejection) -> InputEvent {
        try decode(Array(text.utf8))
    }
}
