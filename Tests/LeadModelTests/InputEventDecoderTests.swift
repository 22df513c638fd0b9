import LeadModel
import Testing

@Suite("Input event decoder")
struct InputEventDecoderTests {
    let decoder = InputEventDecoder()

    // MARK: - The contract's examples

    @Test("the attendee example of docs/events.md decodes field by field")
    func attendeeExample() throws {
        let decoded = try decoder.decode(Fixtures.attendeeJSON)
        guard case .attendeeStatus(let event) = decoded else {
            Issue.record("decoded \(decoded)")
            return
        }
        #expect(event.eventId == "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10")
        #expect(event.leadKey.rawValue == "acme/jane.doe@example.com")
        #expect(event.occurredAt.rfc3339 == "2026-11-22T10:00:00.123Z")
        #expect(event.virtualEventId == "summit-2026")
        #expect(event.userId == "jane.doe")
        #expect(event.status == .granular(.confirmedEmail))
        #expect(event.profile == Fixtures.profile)
    }

    @Test("the engagement example of docs/events.md decodes field by field")
    func engagementExample() throws {
        let decoded = try decoder.decode(Fixtures.engagementJSON)
        guard case .engagement(let event) = decoded else {
            Issue.record("decoded \(decoded)")
            return
        }
        #expect(event.eventId == "c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e21")
        #expect(event.leadKey.rawValue == "acme/jane.doe@example.com")
        #expect(event.occurredAt.rfc3339 == "2026-11-22T10:45:00.000Z")
        #expect(event.entry == EngagementEntry(id: "1_abcd1234", name: "Opening keynote"))
        #expect(event.channel == EngagementChannel(id: 12, name: "Main stage"))
        #expect(event.sessionEnded == false)
        let metrics = event.metrics
        #expect(metrics.knownCount == 24)
        #expect(metrics.plays == 1)
        #expect(metrics.vodMinutesViewed == 0)
        #expect(metrics.liveMinutesViewed == 32.5)
        #expect(metrics.noLiveEngagementRate == 0.05)
        #expect(metrics.lowLiveEngagementRate == 0.10)
        #expect(metrics.fairLiveEngagementRate == 0.15)
        #expect(metrics.goodLiveEngagementRate == 0.30)
        #expect(metrics.highLiveEngagementRate == 0.40)
        #expect(metrics.clapClickedCount == 2)
        #expect(metrics.heartClickedCount == 1)
        #expect(metrics.smileClickedCount == 3)
        #expect(metrics.answeredPolls == 1)
        #expect(metrics.messagesSentGroup == 4)
        #expect(metrics.qnaThreads == 1)
        #expect(metrics.combinedLiveEngagedUsersPlayTimeRatio == 0.82)
        #expect(metrics.addToCalendar == 1)
        #expect(metrics.micOn == 0)
        #expect(metrics.totalReactionsActivity == 6)
        #expect(metrics.raiseHand == 0)
    }

    @Test("optional engagement parts default as docs/events.md says")
    func engagementDefaults() throws {
        let json = """
            {"type":"engagement.session","version":1,"eventId":"e1","tenant":"acme",
             "occurredAt":"2026-11-22T10:45:00Z","virtualEventId":"summit-2026","email":"jane@example.com",
             "entry":{"id":"1_x"},"metrics":{"plays":2}}
            """
        guard case .engagement(let event) = try decoder.decode(json) else {
            Issue.record("not an engagement event")
            return
        }
        #expect(event.channel == .unknown)
        #expect(event.channel.id == 0 && event.channel.name.isEmpty)
        #expect(event.entry.name.isEmpty)
        #expect(event.sessionEnded == false)
        #expect(event.userId == nil)
        #expect(event.metrics.plays == 2)
        #expect(event.metrics.liveMinutesViewed == nil, "a missing metric is unknown, not 0")
        #expect(event.metrics.knownCount == 1)
    }

    @Test("unknown fields at every level are ignored, nulls among them too; fields of the other type are not read")
    func unknownFieldsIgnored() throws {
        let json = """
            {"future":{"deep":[1,{"x":null}]},"type":"attendee.status","version":1,"eventId":"e1","tenant":"acme",
             "occurredAt":"2026-11-22T10:00:00Z","virtualEventId":"v","email":"jane@example.com",
             "status":"Attended","entry":"ignored for attendee events","metrics":null,"channel":null,
             "profile":{"firstName":"Jane","middleName":"X","custom":{"a":"b"}}}
            """
        guard case .attendeeStatus(let event) = try decoder.decode(json) else {
            Issue.record("not an attendee event")
            return
        }
        #expect(event.status == .channel(.attended))
        #expect(event.userId == nil)
        #expect(event.profile == LeadProfile(firstName: "Jane", custom: ["a": "b"]))
    }

    @Test(
        "null is refused as the schemas refuse it: a required field is missing, an optional one invalid",
        arguments: [
            // Optional fields of an attendee event.
            ("userId", nil, "userId"),
            ("profile", nil, "profile"),
            ("profile", #"{"title":null}"#, "profile.title"),
            ("profile", #"{"custom":null}"#, "profile.custom"),
            ("profile", #"{"custom":{"n":null}}"#, "profile.custom.n"),
        ] as [(String, String?, String)]
    )
    func attendeeNulls(field: String, value: String?, rejectedField: String) throws {
        let rejection = #expect(throws: EventRejection.self) {
            try decoder.decode(Self.attendee(field, value ?? "null"))
        }
        #expect(rejection?.code == .invalidField)
        #expect(rejection?.field == rejectedField)
        #expect(rejection?.message.contains("null") == true)
    }

    @Test(
        "nulls in the optional fields of an engagement event are invalid; in required ones missing",
        arguments: [
            ("channel", "null", EventRejection.Code.invalidField, "channel"),
            ("channel", #"{"id":null}"#, .invalidField, "channel.id"),
            ("channel", #"{"name":null}"#, .invalidField, "channel.name"),
            ("sessionEnded", "null", .invalidField, "sessionEnded"),
            ("metrics", "null", .invalidField, "metrics"),
            ("metrics", #"{"plays":null}"#, .invalidField, "metrics.plays"),
            ("entry", #"{"id":"1_a","name":null}"#, .invalidField, "entry.name"),
            ("entry", #"{"id":null}"#, .missingField, "entry.id"),
            ("entry", "null", .missingField, "entry"),
            ("email", "null", .missingField, "email"),
        ] as [(String, String, EventRejection.Code, String)]
    )
    func engagementNulls(field: String, value: String, code: EventRejection.Code, rejectedField: String) throws {
        let rejection = #expect(throws: EventRejection.self) { try decoder.decode(Self.engagement(field, value)) }
        #expect(rejection?.code == code)
        #expect(rejection?.field == rejectedField)
    }

    @Test("JSON edge cases: duplicate keys, integral counts, exponents, whitespace, empty object")
    func jsonEdgeCases() throws {
        // The last duplicate wins, as in most JSON readers.
        let duplicate = Self.attendee("status", #""Invited""#).dropLast() + #","status":"Attended"}"#
        guard case .attendeeStatus(let attendee) = try decoder.decode(String(duplicate)) else {
            Issue.record("not an attendee event")
            return
        }
        #expect(attendee.status == .channel(.attended))

        // Counts may be written as integral numbers in any JSON form; rates and minutes in exponent form.
        let metrics = #"{"plays":2.0,"answered_polls":1e1,"live_minutes_viewed":3.25e1,"no_live_engagement_rate":5E-2}"#
        guard case .engagement(let engagement) = try decoder.decode(Self.engagement("metrics", metrics)) else {
            Issue.record("not an engagement event")
            return
        }
        #expect(engagement.metrics.plays == 2)
        #expect(engagement.metrics.answeredPolls == 10)
        #expect(engagement.metrics.liveMinutesViewed == 32.5)
        #expect(engagement.metrics.noLiveEngagementRate == 0.05)

        // Whitespace anywhere between tokens.
        let spaced = "\t\r\n " + Self.engagement("channel", " { \"id\" : 3 , \"name\" : \"x\" } ") + " \n"
        guard case .engagement(let spacedEvent) = try decoder.decode(spaced) else {
            Issue.record("not an engagement event")
            return
        }
        #expect(spacedEvent.channel == EngagementChannel(id: 3, name: "x"))

        // An omitted channel is the unknown channel (null is refused: see engagementNulls).
        guard case .engagement(let noChannel) = try decoder.decode(Self.engagement("channel", nil)) else {
            Issue.record("not an engagement event")
            return
        }
        #expect(noChannel.channel == .unknown)

        let empty = #expect(throws: EventRejection.self) { try decoder.decode("{}") }
        #expect(empty?.code == .missingField)
        #expect(empty?.field == "type")
    }

    @Test("non-contiguous collections decode too")
    func nonContiguous() throws {
        let bytes = Fixtures.attendeeJSON.utf8.lazy.map { $0 }
        #expect(try decoder.decode(bytes).eventId == "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10")
    }

    // MARK: - Rejections

    /// The attendee example with one field replaced (raw JSON value) or removed (`nil`).
    static func attendee(_ field: String, _ value: String?) -> String {
        var members: [(String, String)] = [
            ("type", #""attendee.status""#), ("version", "1"), ("eventId", #""e1""#), ("tenant", #""acme""#),
            ("occurredAt", #""2026-11-22T10:00:00Z""#), ("virtualEventId", #""summit-2026""#),
            ("email", #""Jane@Example.com""#), ("userId", #""jane""#), ("status", #""Confirmed email""#),
            ("profile", #"{"firstName":"Jane","custom":{"industry":"Software"}}"#),
        ]
        if let index = members.firstIndex(where: { $0.0 == field }) {
            if let value { members[index].1 = value } else { members.remove(at: index) }
        } else if let value {
            members.append((field, value))
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The engagement fixture with one field replaced or removed.
    static func engagement(_ field: String, _ value: String?) -> String {
        var members: [(String, String)] = [
            ("type", #""engagement.session""#), ("version", "1"), ("eventId", #""e2""#), ("tenant", #""acme""#),
            ("occurredAt", #""2026-11-22T10:45:00Z""#), ("virtualEventId", #""summit-2026""#),
            ("email", #""jane@example.com""#), ("entry", #"{"id":"1_abcd1234","name":"Keynote"}"#),
            ("channel", #"{"id":12,"name":"Main"}"#), ("sessionEnded", "false"),
            ("metrics", #"{"plays":1,"live_minutes_viewed":3.5,"good_live_engagement_rate":0.3}"#),
        ]
        if let index = members.firstIndex(where: { $0.0 == field }) {
            if let value { members[index].1 = value } else { members.remove(at: index) }
        } else if let value {
            members.append((field, value))
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var json: String
        var code: EventRejection.Code
        var field: String?
        var message: String

        var testDescription: String { "\(code.rawValue) \(field ?? "-"): \(message)" }
    }

    static let rejections: [Case] = [
        Case(
            json: "not json",
            code: .notJSON,
            field: nil,
            message: "invalid JSON at byte 0: invalid literal, expected 'null'"
        ),
        Case(
            json: "",
            code: .notJSON,
            field: nil,
            message: "invalid JSON at byte 0: unexpected end of input, expected a value"
        ),
        Case(json: "[1,2]", code: .notJSON, field: nil, message: "the record is an array, not a JSON object"),
        Case(json: #""text""#, code: .notJSON, field: nil, message: "the record is a string, not a JSON object"),
        Case(
            json: attendee("eventId", #""e1""#) + "x",
            code: .notJSON,
            field: nil,
            message: "invalid JSON at byte 270: unexpected 'x' after the end of the document"
        ),
        Case(
            json: attendee("type", nil),
            code: .missingField,
            field: "type",
            message: "required field 'type' is missing or null"
        ),
        Case(
            json: attendee("type", "null"),
            code: .missingField,
            field: "type",
            message: "required field 'type' is missing or null"
        ),
        Case(
            json: attendee("type", "7"),
            code: .invalidField,
            field: "type",
            message: "field 'type' must be a string, found a number"
        ),
        Case(
            json: attendee("type", #""attendee.update""#),
            code: .unknownType,
            field: "type",
            message: "type 'attendee.update' is neither 'attendee.status' nor 'engagement.session'"
        ),
        Case(
            json: attendee("version", nil),
            code: .missingField,
            field: "version",
            message: "required field 'version' is missing or null"
        ),
        Case(
            json: attendee("version", #""1""#),
            code: .invalidField,
            field: "version",
            message: "field 'version' must be an integer, found a string"
        ),
        Case(
            json: attendee("version", "1.5"),
            code: .invalidField,
            field: "version",
            message: "field 'version' must be an integer"
        ),
        Case(
            json: attendee("version", "2"),
            code: .unknownVersion,
            field: "version",
            message: "version 2 of 'attendee.status' is not supported (supported: 1)"
        ),
        Case(
            json: attendee("eventId", nil),
            code: .missingField,
            field: "eventId",
            message: "required field 'eventId' is missing or null"
        ),
        Case(
            json: attendee("eventId", #""""#),
            code: .invalidField,
            field: "eventId",
            message: "field 'eventId' must not be empty"
        ),
        Case(
            json: attendee("eventId", "{}"),
            code: .invalidField,
            field: "eventId",
            message: "field 'eventId' must be a string, found an object"
        ),
        Case(
            json: attendee("tenant", nil),
            code: .missingField,
            field: "tenant",
            message: "required field 'tenant' is missing or null"
        ),
        Case(
            json: attendee("tenant", #""a/b""#),
            code: .invalidField,
            field: "tenant",
            message: "field 'tenant' 'a/b' must be 1-255 bytes without '/', whitespace or control characters"
        ),
        Case(
            json: attendee("occurredAt", nil),
            code: .missingField,
            field: "occurredAt",
            message: "required field 'occurredAt' is missing or null"
        ),
        Case(
            json: attendee("occurredAt", #""2026-11-22T10:00:00""#),
            code: .invalidDate,
            field: "occurredAt",
            message: "occurredAt '2026-11-22T10:00:00' is not an RFC 3339 date-time with a zone"
        ),
        Case(
            json: attendee("occurredAt", "1795341600000"),
            code: .invalidField,
            field: "occurredAt",
            message: "field 'occurredAt' must be an RFC 3339 date-time string, found a number"
        ),
        Case(
            json: attendee("virtualEventId", nil),
            code: .missingField,
            field: "virtualEventId",
            message: "required field 'virtualEventId' is missing or null"
        ),
        Case(
            json: attendee("email", nil),
            code: .missingField,
            field: "email",
            message: "required field 'email' is missing or null"
        ),
        Case(
            json: attendee("email", #""jane.example.com""#),
            code: .invalidEmail,
            field: "email",
            message: "email is not valid: the address has no '@'"
        ),
        Case(
            json: attendee("email", "[]"),
            code: .invalidField,
            field: "email",
            message: "field 'email' must be a string, found an array"
        ),
        Case(
            json: attendee("userId", "42"),
            code: .invalidField,
            field: "userId",
            message: "field 'userId' must be a string, found a number"
        ),
        Case(
            json: attendee("status", nil),
            code: .missingField,
            field: "status",
            message: "required field 'status' is missing or null"
        ),
        Case(
            json: attendee("status", #""confirmed email""#),
            code: .unknownStatus,
            field: "status",
            message:
                "status 'confirmed email' is neither a channel status nor a granular status (names are case-sensitive)"
        ),
        Case(
            json: attendee("status", "true"),
            code: .invalidField,
            field: "status",
            message: "field 'status' must be a string, found a boolean"
        ),
        Case(
            json: attendee("profile", "\"x\""),
            code: .invalidField,
            field: "profile",
            message: "field 'profile' must be an object, found a string"
        ),
        Case(
            json: attendee("profile", #"{"company":5}"#),
            code: .invalidField,
            field: "profile.company",
            message: "field 'profile.company' must be a string, found a number"
        ),
        Case(
            json: attendee("profile", #"{"custom":{"industry":true}}"#),
            code: .invalidField,
            field: "profile.custom.industry",
            message: "field 'profile.custom.industry' must be a string, found a boolean"
        ),
        Case(
            json: attendee("profile", #"{"custom":[]}"#),
            code: .invalidField,
            field: "profile.custom",
            message: "field 'profile.custom' must be an object, found an array"
        ),
        Case(
            json: engagement("entry", nil),
            code: .missingField,
            field: "entry",
            message: "required field 'entry' is missing or null"
        ),
        Case(
            json: engagement("entry", #"{"name":"x"}"#),
            code: .missingField,
            field: "entry.id",
            message: "required field 'entry.id' is missing or null"
        ),
        Case(
            json: engagement("entry", #"{"id":12}"#),
            code: .invalidField,
            field: "entry.id",
            message: "field 'entry.id' must be a string, found a number"
        ),
        Case(
            json: engagement("channel", #"{"id":"12"}"#),
            code: .invalidField,
            field: "channel.id",
            message: "field 'channel.id' must be an integer, found a string"
        ),
        Case(
            json: engagement("channel", #"{"id":-1}"#),
            code: .invalidField,
            field: "channel.id",
            message: "field 'channel.id' must be >= 0, found -1"
        ),
        Case(
            json: engagement("sessionEnded", "\"yes\""),
            code: .invalidField,
            field: "sessionEnded",
            message: "field 'sessionEnded' must be a boolean, found a string"
        ),
        Case(
            json: engagement("metrics", "3"),
            code: .invalidField,
            field: "metrics",
            message: "field 'metrics' must be an object, found a number"
        ),
        Case(
            json: engagement("metrics", #"{"plays":1.5}"#),
            code: .invalidField,
            field: "metrics.plays",
            message: "field 'metrics.plays' must be an integer >= 0, found 1.5"
        ),
        Case(
            json: engagement("metrics", #"{"plays":-1}"#),
            code: .invalidField,
            field: "metrics.plays",
            message: "field 'metrics.plays' must be an integer >= 0, found -1"
        ),
        Case(
            json: engagement("metrics", #"{"live_minutes_viewed":-0.5}"#),
            code: .invalidField,
            field: "metrics.live_minutes_viewed",
            message: "field 'metrics.live_minutes_viewed' must be a number >= 0, found -0.5"
        ),
        Case(
            json: engagement("metrics", #"{"high_live_engagement_rate":1.01}"#),
            code: .invalidField,
            field: "metrics.high_live_engagement_rate",
            message: "field 'metrics.high_live_engagement_rate' must be a rate within 0...1, found 1.01"
        ),
        Case(
            json: engagement("metrics", #"{"qna_threads":"1"}"#),
            code: .invalidField,
            field: "metrics.qna_threads",
            message: "field 'metrics.qna_threads' must be a number, found a string"
        ),
        Case(
            json: engagement("metrics", #"{"mic_on":1e999}"#),
            code: .invalidField,
            field: "metrics.mic_on",
            message: "field 'metrics.mic_on' must be a number >= 0, found 1e999"
        ),
    ]

    @Test("every invalid record is rejected with a precise code, field and message", arguments: rejections)
    func rejects(testCase: Case) {
        let rejection = #expect(throws: EventRejection.self) { try decoder.decode(testCase.json) }
        #expect(rejection?.code == testCase.code)
        #expect(rejection?.field == testCase.field)
        #expect(rejection?.message == testCase.message)
    }

    @Test("syntax errors win over field errors, and type and version over other fields")
    func precedence() {
        let syntax = #expect(throws: EventRejection.self) {
            try decoder.decode(Self.attendee("email", #""bad""#).dropLast() + ",")
        }
        #expect(syntax?.code == .notJSON)
        let type = #expect(throws: EventRejection.self) {
            try decoder.decode(
                Self.attendee("type", #""x""#).replacingFirst(#""email":"Jane@Example.com""#, with: #""email":"x""#)
            )
        }
        #expect(type?.code == .unknownType)
        let version = #expect(throws: EventRejection.self) {
            try decoder.decode(
                Self.attendee("version", "3").replacingFirst(#""status":"Confirmed email""#, with: #""status":"x""#)
            )
        }
        #expect(version?.code == .unknownVersion)
        // Among fields, contract order: eventId is reported before email.
        let field = #expect(throws: EventRejection.self) {
            try decoder.decode(
                Self.attendee("eventId", nil).replacingFirst(#""email":"Jane@Example.com""#, with: #""email":"x""#)
            )
        }
        #expect(field?.field == "eventId")
    }

    @Test("an email and a date with escapes are decoded before validation")
    func escapedValues() throws {
        let json = Self.attendee("email", #""Jane\u0040Example.com""#)
            .replacingFirst(#""2026-11-22T10:00:00Z""#, with: #""2026-11-22T10:00:00\u005A""#)
        let event = try decoder.decode(json)
        #expect(event.leadKey.email == "jane@example.com")
        #expect(event.occurredAt.rfc3339 == "2026-11-22T10:00:00.000Z")
    }

    @Test("long values are cut in messages")
    func longValuesCut() {
        let long = String(repeating: "x", count: 500)
        let rejection = #expect(throws: EventRejection.self) {
            try decoder.decode(Self.attendee("type", "\"\(long)\""))
        }
        #expect(rejection?.message.count ?? 0 < 200)
        #expect(rejection?.message.contains("…") == true)
    }

    @Test("rejection codes are the documented stable strings")
    func stableCodes() {
        #expect(
            EventRejection.Code.all.map(\.rawValue) == [
                "not_json", "missing_field", "invalid_field", "unknown_type", "unknown_version", "invalid_date",
                "invalid_email", "unknown_status", "unknown_tenant", "unmapped_event",
            ]
        )
    }
}
