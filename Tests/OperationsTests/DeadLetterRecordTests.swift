import Kafka
import LeadModel
import Operations
import RecordHeaders
import Testing

@Suite("A dead letter's reason, origin, tenant and replay record")
struct DeadLetterRecordTests {
    private func consumed(
        topic: String = "attendee.events",
        key: String? = "acme/jane@example.com",
        value: String,
        headers: [KafkaHeader] = []
    ) -> ConsumedRecord {
        ConsumedRecord(
            topic: topic,
            partition: 2,
            offset: 41,
            key: key.map { Array($0.utf8) },
            value: Array(value.utf8),
            headers: headers
        )
    }

    private func letter(of original: ConsumedRecord, code: String = "unmapped_event") -> DeadLetterRecord {
        let headers = DeadLetterHeaders.make(
            for: original,
            errorClass: "invalid_input",
            code: code,
            message: "virtualEventId \"x\" is mapped to none",
            field: "virtualEventId",
            attempts: 1,
            firstFailedAt: "2026-11-24T10:00:00.000Z"
        )
        return DeadLetterRecord(
            ConsumedRecord(
                topic: "leadsync.events.dlq",
                partition: 2,
                offset: 7,
                key: original.key,
                value: original.value,
                headers: headers,
                timestamp: 1_790_000_000_000
            )
        )
    }

    @Test("reason and origin headers as the fold writes them")
    func readsTheFoldsHeaders() throws {
        let dead = letter(of: consumed(value: #"{"tenant":"acme","type":"attendee.status"}"#))
        #expect(dead.errorClass == "invalid_input")
        #expect(dead.errorCode == "unmapped_event")
        #expect(dead.errorField == "virtualEventId")
        #expect(dead.originalReference == DeadLetterReference(topic: "attendee.events", partition: 2, offset: 41))
        #expect(dead.attempts == 1)
        #expect(dead.firstFailedAt == Timestamp(rfc3339: "2026-11-24T10:00:00.000Z"))
        #expect(dead.deadLetteredAt == Timestamp(millisecondsSinceEpoch: 1_790_000_000_000))
        #expect(dead.reference.description == "leadsync.events.dlq/2/7")
    }

    @Test("a re-keyed input that was dead-lettered: the last origin (the repartition topic) wins")
    func lastOriginWins() {
        let rekeyed = consumed(
            topic: "leadsync.repartition",
            value: "{}",
            headers: [KafkaHeader(key: DeadLetterHeaders.originalTopic, string: "attendee.events")]
        )
        #expect(letter(of: rekeyed).originalTopic == "leadsync.repartition")
    }

    @Test("the tenant: payload's tenant, else the fold's tenant header, else the key's prefix, else none")
    func tenantSources() {
        #expect(letter(of: consumed(value: #"{"tenant":"globex","email":"a@b.example"}"#)).tenant == "globex")
        let headerOnly = consumed(
            key: nil,
            value: "not json",
            headers: [KafkaHeader(key: "leadsync.tenant", string: "initech")]
        )
        #expect(letter(of: headerOnly).tenant == "initech")
        #expect(letter(of: consumed(value: "\u{01}binary")).tenant == "acme")
        #expect(letter(of: consumed(key: "no-slash-key", value: #"{"tenant": 12}"#)).tenant == nil)
        #expect(letter(of: consumed(key: nil, value: "[1,2]")).tenant == nil)
    }

    @Test("a replay record: same key, value and own headers; no reason headers; origin once; replay headers")
    func replayRecord() throws {
        let original = consumed(
            topic: "marketo.commands",
            value: #"{"tenant":"acme"}"#,
            headers: [KafkaHeader(key: "leadsync.command.kind", string: "memberStatus")]
        )
        var dead = letter(of: original)
        // It had been replayed before and failed again: the old replay headers go.
        dead.record.headers.append(KafkaHeader(key: ReplayHeaders.id, string: "older"))
        dead.record.headers.append(KafkaHeader(key: "leadsync.output.id", string: "dlq:x/1/2"))
        let target = TopicPartition(topic: "marketo.commands", partition: 2)
        let replayed = dead.replayRecord(
            replayId: "fix-1",
            target: target,
            at: Timestamp(millisecondsSinceEpoch: 1_790_000_100_000)
        )
        #expect(replayed.topic == "marketo.commands")
        #expect(replayed.partition == 2)
        #expect(replayed.key == original.key)
        #expect(replayed.value == original.value)
        let names = replayed.headers.map(\.key)
        #expect(names.contains("leadsync.command.kind"))
        for dropped in [
            DeadLetterHeaders.errorClass, DeadLetterHeaders.errorCode, DeadLetterHeaders.errorMessage,
            DeadLetterHeaders.errorField, DeadLetterHeaders.attempts, DeadLetterHeaders.firstFailedAt,
            "leadsync.output.id",
        ] {
            #expect(!names.contains(dropped), "\(dropped) is dropped")
        }
        #expect(names.filter { $0 == DeadLetterHeaders.originalOffset }.count == 1)
        #expect(replayed.headers.string(for: DeadLetterHeaders.originalOffset) == "41")
        #expect(names.filter { $0 == ReplayHeaders.id }.count == 1)
        #expect(replayed.headers.string(for: ReplayHeaders.id) == "fix-1")
        #expect(replayed.headers.string(for: ReplayHeaders.source) == "leadsync.events.dlq/2/7")
    }

    @Test("list line and detail text: the reason and origin, the payload only in the detail, JSON indented")
    func rendering() {
        let dead = letter(of: consumed(value: #"{"tenant":"acme","email":"jane@example.com","profile":{}}"#))
        #expect(
            dead.summaryLine.hasPrefix(
                "leadsync.events.dlq/2/7  2026-09-21T14:13:20.000Z  acme  invalid_input/unmapped_event  from "
                    + "attendee.events/2/41"
            )
        )
        #expect(!dead.summaryLine.contains("jane@example.com"))
        #expect(dead.detailText.contains("field           virtualEventId"))
        #expect(dead.detailText.contains("payload (JSON, 57 bytes)"))
        #expect(dead.detailText.contains("\n    \"email\": \"jane@example.com\",\n    \"profile\": {}\n"))
        #expect(dead.jsonLine.contains(#""errorCode":"unmapped_event""#))
    }
}

@Suite("Arguments: references, times, payload text, replay options")
struct ArgumentTests {
    @Test("references parse topic/partition/offset, with slashes in the topic, and refuse anything else")
    func references() throws {
        #expect(try DeadLetterReference(parsing: "marketo.commands.dlq/3/1042").offset == 1042)
        #expect(try DeadLetterReference(parsing: "env/a.dlq/0/5").topic == "env/a.dlq")
        for bad in ["marketo.commands.dlq", "x/1", "x/-1/2", "x/1/two", "/1/2"] {
            #expect(throws: DeadLetterError.self, "\(bad)") { try DeadLetterReference(parsing: bad) }
        }
    }

    @Test("times: RFC 3339, a date at midnight UTC, or an age before now")
    func times() throws {
        let now = Timestamp(rfc3339: "2026-11-25T12:00:00Z")!
        #expect(
            try DeadLetterTimeText.parse("2026-11-24T18:00:00+01:00", now: now)
                == Timestamp(rfc3339: "2026-11-24T17:00:00Z")
        )
        #expect(try DeadLetterTimeText.parse("2026-11-24", now: now) == Timestamp(rfc3339: "2026-11-24T00:00:00Z"))
        #expect(try DeadLetterTimeText.parse("90m", now: now) == Timestamp(rfc3339: "2026-11-25T10:30:00Z"))
        #expect(try DeadLetterTimeText.parse("7d", now: now) == Timestamp(rfc3339: "2026-11-18T12:00:00Z"))
        let error = #expect(throws: DeadLetterError.self) { try DeadLetterTimeText.parse("yesterday", now: now) }
        #expect(error?.message.contains("'yesterday' is not a time") == true)
        #expect(throws: DeadLetterError.self) {
            try DeadLetterFilter(since: now, until: now.adding(milliseconds: -1)).validate()
        }
    }

    @Test("payload text: JSON indented with order and characters kept, text escaped, binary as hex")
    func payloadText() {
        let json = PayloadText.render(Array(#"{"b":[1,{"c":"x, {y}"}],"a":[]}"#.utf8))
        #expect(json.kind == "JSON")
        #expect(json.text == "{\n  \"b\": [\n    1,\n    {\n      \"c\": \"x, {y}\"\n    }\n  ],\n  \"a\": []\n}")
        #expect(PayloadText.render(Array("{not json".utf8)).kind == "text")
        #expect(PayloadText.render(Array("bell\u{07}".utf8)).text == "bell\\u{7}")
        let binary = PayloadText.render([0xFF, 0x00, 0x41])
        #expect(binary.kind == "binary")
        #expect(binary.text.hasPrefix("00000000  ff 00 41"))
    }

    @Test("replay options refuse an empty or spaced id, a non-positive rate and a zero limit")
    func replayOptions() throws {
        #expect(try DeadLetterReplayOptions(replayId: "acme-fix", recordsPerSecond: 5, limit: 1).limit == 1)
        #expect(throws: DeadLetterError.self) { try DeadLetterReplayOptions(replayId: "") }
        #expect(throws: DeadLetterError.self) { try DeadLetterReplayOptions(replayId: "two words") }
        #expect(throws: DeadLetterError.self) { try DeadLetterReplayOptions(replayId: "x", recordsPerSecond: 0) }
        #expect(throws: DeadLetterError.self) { try DeadLetterReplayOptions(replayId: "x", recordsPerSecond: .nan) }
        #expect(throws: DeadLetterError.self) { try DeadLetterReplayOptions(replayId: "x", limit: 0) }
    }
}
