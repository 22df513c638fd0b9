import LeadModel
import Testing

@Suite("Command codec")
struct CommandCodecTests {
    static func commands() throws -> [Command] {
        let decoder = InputEventDecoder()
        var state = LeadState()
        var commands: [Command] = []
        for json in [Fixtures.attendeeJSON, Fixtures.engagementJSON] {
            commands +=
                LeadFold.apply(try decoder.decode(json), to: &state, rules: Fixtures.rules, now: Fixtures.t0).commands
        }
        commands += LeadFold.dueActivities(
            for: Fixtures.key,
            in: &state,
            rules: Fixtures.rules,
            now: Fixtures.t0.adding(milliseconds: 86_400_000)
        )
        return commands
    }

    @Test("every command the fold emits round-trips")
    func roundTrip() throws {
        let commands = try Self.commands()
        #expect(Set(commands.map(\.kind)) == Set(CommandKind.allCases))
        for command in commands {
            let bytes = CommandCodec.encode(command)
            #expect(try CommandCodec.decode(bytes) == command)
            #expect(CommandCodec.encode(try CommandCodec.decode(bytes)) == bytes, "deterministic")
        }
    }

    @Test("the member status JSON is the documented contract")
    func memberStatusJSON() throws {
        let command = try #require(Self.commands().first)
        let json = String(decoding: CommandCodec.encode(command), as: UTF8.self)
        #expect(
            json
                == #"{"version":1,"commandId":"\#(command.commandId.rawValue)","kind":"memberStatus","#
                + #""destination":"marketo","tenant":"acme","leadKey":"acme/jane.doe@example.com","#
                + #""email":"jane.doe@example.com","userId":"jane.doe","#
                + #""profile":{"firstName":"Jane","lastName":"Doe","company":"Example Inc","title":"CTO","#
                + #""country":"US","phone":"+1 555 0100","custom":{"industry":"Software"}},"#
                + #""virtualEventId":"summit-2026","programId":1001,"#
                + #""occurredAt":"2026-11-22T10:00:00.123Z","sourceEventId":"7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10","#
                + #""status":"Confirmed","step":40,"success":true,"granularStatus":"Confirmed email","derived":false}"#
        )
    }

    @Test("the engagement JSON carries the entry, channel and known metrics under docs/events.md's names")
    func engagementJSON() throws {
        let upsert = try #require(
            Self.commands().first { $0.kind == .engagementUpsert && $0.destination == .salesforce }
        )
        let json = String(decoding: CommandCodec.encode(upsert), as: UTF8.self)
        #expect(json.contains(#""kind":"engagementUpsert","destination":"salesforce""#))
        #expect(json.contains(#""campaignId":"701000000000001AAA""#))
        #expect(!json.contains("programId"))
        #expect(
            json.contains(
                #""entry":{"id":"1_abcd1234","name":"Opening keynote"},"channel":{"id":12,"name":"Main stage"}"#
            )
        )
        #expect(
            json.contains(
                #""sessionEnded":false,"metrics":{"plays":1,"vod_minutes_viewed":0.0,"live_minutes_viewed":32.5,"#
            )
        )
        #expect(json.contains(#""combined_live_engaged_users_play_time_ratio":0.82"#))
        #expect(json.hasSuffix(#""raise_hand":0}}"#))
    }

    @Test("unknown metrics are omitted, not written as 0")
    func unknownMetricsOmitted() throws {
        var command = try #require(Self.commands().first { $0.kind == .engagementUpsert })
        var metrics = EngagementMetrics()
        metrics.plays = 2
        command.payload = .engagementUpsert(
            EngagementSnapshot(
                entry: EngagementEntry(id: "1_x"),
                channel: .unknown,
                metrics: metrics,
                sessionEnded: true
            )
        )
        let json = String(decoding: CommandCodec.encode(command), as: UTF8.self)
        #expect(json.contains(#""metrics":{"plays":2}"#))
        #expect(json.contains(#""channel":{"id":0,"name":""}"#))
        #expect(try CommandCodec.decode(Array(json.utf8)) == command)
    }

    @Test("integers at the extremes are written exactly", arguments: [Int.max, Int.min, 0, -1, 10, 1_000_000_007])
    func integers(programId: Int) throws {
        var command = try #require(Self.commands().first)
        command.target = .marketo(programId: programId)
        let bytes = CommandCodec.encode(command)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"programId\":\(programId),"))
        #expect(try CommandCodec.decode(bytes) == command)
    }

    @Test("strings are escaped and come back intact")
    func escaping() throws {
        var command = try #require(Self.commands().first)
        command.profile = LeadProfile(
            firstName: "Quote \" back\\slash",
            lastName: "tab\tnew\nline\u{1}",
            company: "Ünïcødé 😀"
        )
        command.userId = "\u{0}"
        let bytes = CommandCodec.encode(command)
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(json.contains(#""firstName":"Quote \" back\\slash""#))
        #expect(json.contains(#""lastName":"tab\tnew\nline\u0001""#))
        #expect(try CommandCodec.decode(bytes) == command)
    }

    @Test(
        "decoding names what is wrong",
        arguments: [
            (#"{"kind":"memberStatus"}"#, "version", "required field 'version' is missing"),
            (#"{"version":2}"#, "version", "field 'version' is 2, expected 1"),
            (#"{"version":1,"commandId":"x","kind":"sendEmail"}"#, "kind", "field 'kind' 'sendEmail' is unknown"),
            (
                #"{"version":1,"commandId":"x","kind":"memberStatus","destination":"hubspot"}"#, "destination",
                "field 'destination' 'hubspot' is unknown"
            ),
            (
                #"{"version":1,"commandId":"x","kind":"memberStatus","destination":"marketo","tenant":"acme","#
                    + #""email":"a@b.co"}"#,
                "programId", "required field 'programId' is missing"
            ),
            (#"{"version":"1"}"#, "version", "field 'version' must be an integer, found a string"),
        ]
    )
    func decodingErrors(json: String, field: String, message: String) {
        let error = #expect(throws: CommandCodec.DecodingError.self) { try CommandCodec.decode(Array(json.utf8)) }
        #expect(error?.field == field)
        #expect(error?.message == message)
    }

    @Test("malformed JSON is a decoding error")
    func malformed() {
        let error = #expect(throws: CommandCodec.DecodingError.self) { try CommandCodec.decode(Array("{".utf8)) }
        #expect(error?.field == nil)
        #expect(error?.message.hasPrefix("invalid JSON at byte 1") == true)
    }
}
