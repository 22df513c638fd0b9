import Basics
import LeadModel
import Testing

@Suite("Lead state codec")
struct LeadStateCodecTests {
    /// A typical lead: one program at Attended (via Registered and Confirmed), a profile with the six
    /// standard fields and one custom field, and two engagement entries of the example's size.
    static func typicalLead(settled: Bool) throws -> LeadState {
        let decoder = InputEventDecoder()
        var state = LeadState()
        let rules = Fixtures.rules
        let now = Fixtures.t0
        let registered = Fixtures.attendeeJSON
            .replacingFirst("Confirmed email", with: "Registered")
            .replacingFirst("7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10", with: "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b01")
        let attended = Fixtures.attendeeJSON
            .replacingFirst("Confirmed email", with: "During-event visit")
            .replacingFirst("7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10", with: "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b02")
            .replacingFirst("10:00:00.123Z", with: "10:30:00.000Z")
        for json in [registered, Fixtures.attendeeJSON, attended] {
            _ = LeadFold.apply(try decoder.decode(json), to: &state, rules: rules, now: now)
        }
        let secondEntry = Fixtures.engagementJSON
            .replacingFirst("c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e21", with: "c0b6b1f2-5b0e-4c8e-8f7a-2f6b1d7c9e22")
            .replacingFirst("1_abcd1234", with: "1_efgh5678")
            .replacingFirst("Opening keynote", with: "Product roadmap")
        // The first engagement derives Participated; keep the lead at Attended as the brief's typical lead by
        // disabling the rule.
        var noParticipation = rules
        noParticipation.participatedRule = .disabled
        for json in [Fixtures.engagementJSON, secondEntry] {
            _ = LeadFold.apply(try decoder.decode(json), to: &state, rules: noParticipation, now: now)
        }
        if settled {
            _ = LeadFold.dueActivities(
                for: Fixtures.key,
                in: &state,
                rules: rules,
                now: now.adding(milliseconds: 86_400_000)
            )
        }
        return state
    }

    @Test("a typical lead round-trips and stays small", arguments: [false, true])
    func typical(settled: Bool) throws {
        let state = try Self.typicalLead(settled: settled)
        #expect(state.membership(for: Fixtures.event)?.status == .attended)
        #expect(state.engagements.count == 2)
        let bytes = LeadStateCodec.encode(state)
        print("typical lead (\(settled ? "activities emitted" : "activities pending")): \(bytes.count) bytes")
        #expect(try LeadStateCodec.decode(bytes) == state)
        // Regression guards: a settled lead must stay within ~200 bytes; pending activities carry their snapshots.
        #expect(bytes.count <= (settled ? 200 : 340))
    }

    @Test("an engagement snapshot that is also a timeline entry keeps its digest once")
    func sharedDigest() throws {
        var state = LeadState()
        let snapshot = Fixtures.engagement(id: "g1", at: 1_000, plays: 1)
        _ = LeadFold.apply(snapshot, to: &state, rules: Fixtures.rules, now: Fixtures.t0)
        let late = Timestamp(millisecondsSinceEpoch: .max)
        _ = LeadFold.dueActivities(for: Fixtures.key, in: &state, rules: Fixtures.rules, now: late)
        #expect(state.engagements.first?.isActivityEmitted == true)
        #expect(state.timeline(for: Fixtures.event)?.entries.map(\.kind) == [.engagement])
        let bytes = LeadStateCodec.encode(state)
        #expect(try LeadStateCodec.decode(bytes) == state)
        let digest = withUnsafeBytes(of: EventDigest(eventId: "g1").rawValue.littleEndian) { Array($0) }
        let occurrences = (0...(bytes.count - 8)).filter { Array(bytes[$0..<($0 + 8)]) == digest }.count
        #expect(occurrences == 1)
        // Two engagement entries in the same millisecond: the record keeps its own digest.
        let other = Fixtures.engagement(id: "g2", entry: "1_other", at: 1_000, plays: 1)
        _ = LeadFold.apply(other, to: &state, rules: Fixtures.rules, now: Fixtures.t0)
        #expect(try LeadStateCodec.decode(LeadStateCodec.encode(state)) == state)
    }

    @Test("the empty state round-trips")
    func empty() throws {
        let bytes = LeadStateCodec.encode(LeadState())
        #expect(try LeadStateCodec.decode(bytes) == LeadState())
        #expect(bytes.count <= 8)
    }

    @Test("randomised states round-trip (seeded)")
    func randomised() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let state = RandomLeadState.make(using: &generator)
            let bytes = LeadStateCodec.encode(state)
            let decoded = try LeadStateCodec.decode(bytes)
            #expect(decoded == state)
            #expect(LeadStateCodec.encode(decoded) == bytes, "encoding is deterministic")
        }
    }

    @Test("numbers keep their exact value, including awkward doubles")
    func exactNumbers() throws {
        let values: [Double] = [
            0, -0.0, 0.05, 0.1, 0.82, 32.5, 1e-7, 123_456.789_012, .pi, 1e300, -2.5, .greatestFiniteMagnitude,
            .leastNonzeroMagnitude, 9_007_199_254_740_992.0.nextUp, .infinity, 0.1 + 0.2,
        ]
        for value in values {
            var metrics = EngagementMetrics()
            metrics.liveMinutesViewed = value
            let state = LeadState(engagements: [
                EngagementRecord(
                    virtualEventId: "v",
                    entryId: "e",
                    occurredAt: .epoch,
                    eventDigest: EventDigest(rawValue: 1),
                    activity: .pending(
                        PendingActivity(
                            lastChangedAt: .epoch,
                            eventId: "x",
                            entryName: "",
                            channel: .unknown,
                            sessionEnded: false,
                            metrics: metrics
                        )
                    )
                )
            ])
            let decoded = try LeadStateCodec.decode(LeadStateCodec.encode(state))
            guard case .pending(let pending) = decoded.engagements.first?.activity else {
                Issue.record("lost the pending activity")
                continue
            }
            #expect(pending.metrics.liveMinutesViewed?.bitPattern == value.bitPattern || value == 0, "\(value)")
        }
    }

    @Test("a lead with the six standard profile fields and no custom ones", arguments: [false, true])
    func sixFieldProfile(settled: Bool) throws {
        var state = try Self.typicalLead(settled: settled)
        state.profile?.custom = [:]
        let bytes = LeadStateCodec.encode(state)
        let activities = settled ? "activities emitted" : "activities pending"
        print("typical lead, 6-field profile (\(activities)): \(bytes.count) bytes")
        #expect(try LeadStateCodec.decode(bytes) == state)
    }

    @Test("a string that is not UTF-8 is corrupt")
    func invalidUTF8() {
        // version 1, no flags, base 0, one event id of 1 byte: 0xFF.
        let bytes: [UInt8] = [1, 0, 0, 1, 1, 0xFF, 0, 0, 0]
        let error = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(bytes) }
        #expect(error?.code == .corrupt)
        #expect(error?.message == "a string is not valid UTF-8")
    }

    @Test("unknown versions are refused")
    func unknownVersion() throws {
        var bytes = LeadStateCodec.encode(try Self.typicalLead(settled: false))
        // 2 and 4 are in-memory forms: not readable without their string table.
        for version: UInt8 in [0, 2, 4, 5, 255] {
            bytes[0] = version
            let error = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(bytes) }
            #expect(error?.code == .unknownVersion)
            #expect(error?.message == "format version \(version) is not supported (supported: 1, 3)")
        }
    }

    @Test("every truncation is refused as truncated, and trailing bytes as corrupt")
    func truncation() throws {
        let bytes = LeadStateCodec.encode(try Self.typicalLead(settled: false))
        for length in 0..<bytes.count {
            let error = #expect(throws: LeadStateCodec.DecodingError.self) {
                try LeadStateCodec.decode(bytes[0..<length])
            }
            #expect(error?.code == .truncated, "prefix of \(length) bytes")
        }
        let error = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(bytes + [0]) }
        #expect(error?.code == .corrupt)
    }

    @Test("corrupt content is refused, never trapped on")
    func corruptContent() throws {
        let bytes = LeadStateCodec.encode(try Self.typicalLead(settled: false))
        var generator = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            var mutated = bytes
            let index = Int.random(in: 1..<mutated.count, using: &generator)
            mutated[index] = UInt8.random(in: 0...255, using: &generator)
            // Either it still decodes (the byte was a value) or it fails with a typed error; it must not crash.
            _ = try? LeadStateCodec.decode(mutated)
        }
        let badStatus: [UInt8] = [1, 0, 0, 1, 1, UInt8(ascii: "v"), 1, 10]  // version 1: event 0, status code 10
        let error = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(badStatus) }
        #expect(error?.code == .corrupt)
        #expect(error?.message == "unknown status 10")
        // Version 3: one timeline of event 0 with no base, result source none, one entry of status code 10.
        let badEntry: [UInt8] = [3, 0, 0, 1, 1, UInt8(ascii: "v"), 1, 0, 0, 1, 10, 0] + [UInt8](repeating: 0, count: 8)
        let entryError = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(badEntry) }
        #expect(entryError?.message == "unknown status 10")
        // Entries out of event-time order are corrupt.
        var unordered = LeadState()
        _ = LeadFold.apply(
            Fixtures.attendee(.registered, id: "a", at: 0),
            to: &unordered,
            rules: Fixtures.rules,
            now: .epoch
        )
        _ = LeadFold.apply(
            Fixtures.attendee(.attended, id: "b", at: 5),
            to: &unordered,
            rules: Fixtures.rules,
            now: .epoch
        )
        var encoded = LeadStateCodec.encode(unordered)
        let timeline = try #require(unordered.timelines.first)
        #expect(timeline.entries.count == 2)
        // The second entry's time offset from the first is 5 ms: make it the first's time exactly and its digest
        // the first's, so the two keys are equal.
        let secondDigest = withUnsafeBytes(of: EventDigest(eventId: "b").rawValue.littleEndian) { Array($0) }
        let firstDigest = withUnsafeBytes(of: EventDigest(eventId: "a").rawValue.littleEndian) { Array($0) }
        let at = try #require(encoded.indices.last { Array(encoded[$0..<min($0 + 8, encoded.count)]) == secondDigest })
        encoded[at - 1] = 0
        encoded.replaceSubrange(at..<(at + 8), with: firstDigest)
        let orderError = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(encoded) }
        #expect(orderError?.message == "timeline entries of summit-2026 are not in event-time order")
    }
}

/// Random but valid lead states for property-style tests.
enum RandomLeadState {
    static func string(using generator: inout SplitMix64) -> String {
        let alphabet = Array("abcXYZ019 -_/.é€😀\"\\")
        let length = Int.random(in: 0...12, using: &generator)
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
    }

    static func eventId(using generator: inout SplitMix64) -> String {
        if Bool.random(using: &generator) { return string(using: &generator) }
        let hex = Array("0123456789abcdef")
        let groups = [8, 4, 4, 4, 12].map { count in
            String((0..<count).map { _ in hex.randomElement(using: &generator) ?? "0" })
        }
        return groups.joined(separator: "-")
    }

    static func timestamp(using generator: inout SplitMix64) -> Timestamp {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: Timestamp(millisecondsSinceEpoch: .random(in: .min ... .max, using: &generator))
        default:
            Timestamp(millisecondsSinceEpoch: .random(in: 1_700_000_000_000...1_900_000_000_000, using: &generator))
        }
    }

    static func metrics(using generator: inout SplitMix64) -> EngagementMetrics {
        var metrics = EngagementMetrics()
        for metric in EngagementMetric.allCases where Bool.random(using: &generator) {
            switch metric.kind {
            case .count: metrics.setCount(metric, Int.random(in: 0...1_000_000, using: &generator))
            case .quantity:
                metrics.setNumber(
                    metric,
                    Bool.random(using: &generator)
                        ? Double(Int.random(in: 0...100_000, using: &generator)) / 100
                        : Double.random(in: 0...1e6, using: &generator)
                )
            case .rate: metrics.setNumber(metric, Double.random(in: 0...1, using: &generator))
            }
        }
        return metrics
    }

    /// A structurally valid timeline: entries in key order after the base's horizon, a result source in range (the
    /// codec does not re-fold, so the source need not be what the rules give).
    static func timeline(_ virtualEventId: String, using generator: inout SplitMix64) -> StatusTimeline {
        func kind() -> TimelineEntry.Kind {
            if Int.random(in: 0..<4, using: &generator) == 0 { return .engagement }
            let granular =
                Bool.random(using: &generator) ? GranularStatus.allCases.randomElement(using: &generator) : nil
            return .status(ChannelStatus.allCases.randomElement(using: &generator) ?? .created, granular: granular)
        }
        var keys = (0..<Int.random(in: 0...StatusTimeline.entryLimit, using: &generator)).map { _ in
            TimelineKey(
                occurredAt: timestamp(using: &generator),
                eventDigest: EventDigest(rawValue: .random(in: 0 ... .max, using: &generator))
            )
        }
        keys = Array(Set(keys)).sorted()
        var base: TimelineBase?
        if Bool.random(using: &generator) {
            let horizon =
                keys.first.map {
                    TimelineKey(
                        occurredAt: $0.occurredAt,
                        eventDigest: EventDigest(rawValue: $0.eventDigest.rawValue / 2)
                    )
                } ?? TimelineKey(occurredAt: timestamp(using: &generator), eventDigest: EventDigest(rawValue: 7))
            let result =
                Bool.random(using: &generator)
                ? TimelineEntry(
                    occurredAt: timestamp(using: &generator),
                    eventDigest: EventDigest(rawValue: 9),
                    kind: kind()
                )
                .result
                : nil
            base = TimelineBase(result: result, horizon: horizon)
            keys.removeAll { !(horizon < $0) }
        }
        let entries = keys.map { TimelineEntry(occurredAt: $0.occurredAt, eventDigest: $0.eventDigest, kind: kind()) }
        var sources: [StatusTimeline.ResultSource] = [.none] + entries.indices.map { .entry($0) }
        if base?.result != nil { sources.append(.base) }
        return StatusTimeline(
            virtualEventId: virtualEventId,
            base: base,
            entries: entries,
            resultSource: sources.randomElement(using: &generator) ?? .none
        )
    }

    static func make(using generator: inout SplitMix64) -> LeadState {
        let events = (0..<Int.random(in: 1...3, using: &generator)).map { _ in string(using: &generator) }
        func event() -> String { events.randomElement(using: &generator) ?? "" }
        var state = LeadState()
        for virtualEventId in Set((0..<Int.random(in: 0...3, using: &generator)).map { _ in event() }).sorted() {
            state.timelines.append(timeline(virtualEventId, using: &generator))
        }
        if Bool.random(using: &generator) {
            state.userId = string(using: &generator)
            if Bool.random(using: &generator) { state.userIdOccurredAt = timestamp(using: &generator) }
        }
        if Bool.random(using: &generator) {
            var profile = LeadProfile()
            if Bool.random(using: &generator) { profile.firstName = string(using: &generator) }
            if Bool.random(using: &generator) { profile.lastName = string(using: &generator) }
            if Bool.random(using: &generator) { profile.company = string(using: &generator) }
            if Bool.random(using: &generator) { profile.title = string(using: &generator) }
            if Bool.random(using: &generator) { profile.country = string(using: &generator) }
            if Bool.random(using: &generator) { profile.phone = string(using: &generator) }
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                profile.custom[string(using: &generator)] = string(using: &generator)
            }
            state.profile = profile
            if Bool.random(using: &generator) { state.profileOccurredAt = timestamp(using: &generator) }
        }
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            let activity: ActivityProgress =
                Bool.random(using: &generator)
                ? .emitted
                : .pending(
                    PendingActivity(
                        lastChangedAt: timestamp(using: &generator),
                        eventId: eventId(using: &generator),
                        entryName: string(using: &generator),
                        channel: EngagementChannel(
                            id: .random(in: 0...Int64.max, using: &generator),
                            name: string(using: &generator)
                        ),
                        sessionEnded: Bool.random(using: &generator),
                        metrics: metrics(using: &generator)
                    )
                )
            state.engagements.append(
                EngagementRecord(
                    virtualEventId: event(),
                    entryId: string(using: &generator),
                    occurredAt: timestamp(using: &generator),
                    eventDigest: EventDigest(rawValue: .random(in: 0 ... .max, using: &generator)),
                    activity: activity
                )
            )
        }
        return state
    }
}
