import LeadModel
import Testing

@Suite("Channel statuses and the status mapping")
struct StatusMappingTests {
    @Test(
        "channel statuses have docs/architecture.md's names, steps and success flags",
        arguments: [
            (ChannelStatus.created, "Created", 10, false),
            (.invited, "Invited", 20, false),
            (.registered, "Registered", 30, true),
            (.confirmed, "Confirmed", 40, true),
            (.autoConfirmed, "autoConfirmed", 40, true),
            (.attended, "Attended", 50, true),
            (.participated, "Participated", 60, true),
            (.blocked, "Blocked", 70, false),
            (.unregistered, "Un-registered", 80, false),
        ]
    )
    func channelStatuses(status: ChannelStatus, name: String, step: Int, success: Bool) {
        #expect(status.name == name)
        #expect(status.step == step)
        #expect(status.isSuccess == success)
        #expect(ChannelStatus(name: name) == status)
    }

    @Test(
        "every granular status maps to docs/architecture.md's default",
        arguments: [
            ("SSO login", ChannelStatus.registered),
            ("Invited by team member", .invited),
            ("Invited by team member to register", .invited),
            ("Registered", .registered),
            ("Confirmed email", .confirmed),
            ("Registered no confirmation required", .autoConfirmed),
            ("Pre-event visit", .attended),
            ("During-event visit", .attended),
            ("Blocked", .blocked),
            ("Un-registered", .unregistered),
        ]
    )
    func granularDefaults(name: String, channel: ChannelStatus) throws {
        let granular = try #require(GranularStatus(name: name))
        #expect(granular.name == name)
        #expect(granular.defaultChannelStatus == channel)
        #expect(try StatusMapping.default.channelStatus(forName: name) == channel)
        #expect(ReportedStatus(name: name) == .granular(granular))
    }

    @Test("channel status names resolve to themselves", arguments: ChannelStatus.allCases)
    func channelNames(status: ChannelStatus) throws {
        #expect(try StatusMapping.default.channelStatus(forName: status.name) == status)
    }

    @Test("names shared by both tables are read as granular statuses")
    func sharedNames() {
        #expect(ReportedStatus(name: "Registered") == .granular(.registered))
        #expect(ReportedStatus(name: "Blocked") == .granular(.blocked))
        #expect(ReportedStatus(name: "Un-registered") == .granular(.unregistered))
        #expect(ReportedStatus(name: "Attended") == .channel(.attended))
    }

    @Test("tenant overrides replace the default of a granular status only")
    func overrides() throws {
        let mapping = StatusMapping(overrides: [.preEventVisit: .registered, .registered: .autoConfirmed])
        #expect(try mapping.channelStatus(forName: "Pre-event visit") == .registered)
        #expect(try mapping.channelStatus(forName: "During-event visit") == .attended)
        #expect(try mapping.channelStatus(forName: "Registered") == .autoConfirmed)
        // A channel status named directly always means itself.
        #expect(mapping.channelStatus(for: .channel(.registered)) == .registered)
        #expect(try mapping.channelStatus(forName: "Attended") == .attended)
    }

    @Test(
        "unknown or differently cased statuses are rejected",
        arguments: [
            "confirmed email", "AutoConfirmed", "autoconfirmed", "Unregistered", "Un-Registered", "", " Attended",
        ]
    )
    func unknown(name: String) {
        let rejection = #expect(throws: EventRejection.self) { try StatusMapping.default.channelStatus(forName: name) }
        #expect(rejection?.code == .unknownStatus)
        #expect(rejection?.field == "status")
        #expect(rejection?.message.contains("'\(name)'") == true)
    }
}
