import Basics
import LeadModel
import Testing

@Suite("Lead state codec: the in-memory form (version 4, strings in a table) and reading version 1")
struct LeadStateCodecInternedTests {
    @Test("a version 1 encoding written by hand decodes, with and without a string table, into a timeline base")
    func versionOneLiteral() throws {
        // version 1 · flags 1 (userId) · base 0 · events ["v"] · membership (event 0, registered, t=5, id "e")
        // · userId "u" · no engagements · history: one applied Registered at t=9 (digest 0x0102030405060708)
        let bytes: [UInt8] =
            [1, 1, 0, 1, 1, 118, 1, 0 << 4 | 3, 5, 2, 101, 1, 117, 0, 1, 0 << 7 | 0 << 4 | 3, 9]
            + [8, 7, 6, 5, 4, 3, 2, 1]
        let digest = EventDigest(eventId: "e")
        let result = TimelineResult(
            status: .registered,
            occurredAt: Timestamp(millisecondsSinceEpoch: 5),
            eventDigest: digest
        )
        let horizon = TimelineKey(
            occurredAt: Timestamp(millisecondsSinceEpoch: 9),
            eventDigest: EventDigest(rawValue: 0x0102_0304_0506_0708)
        )
        let expected = LeadState(
            timelines: [
                StatusTimeline(
                    virtualEventId: "v",
                    base: TimelineBase(result: result, horizon: horizon),
                    resultSource: .base
                )
            ],
            userId: "u"
        )
        #expect(try LeadStateCodec.decode(bytes) == expected)
        #expect(try LeadStateCodec.decode(bytes, strings: LeadStringTable()) == expected)
        #expect(try LeadStateCodec.decode(bytes).membership(for: "v")?.status == .registered)
        // Re-encoded, it is version 3 and reads back the same.
        let current = LeadStateCodec.encode(expected)
        #expect(current.first == LeadStateCodec.currentVersion)
        #expect(try LeadStateCodec.decode(current) == expected)
    }

    @Test("randomised states round-trip through the in-memory form, sharing one table (seeded)")
    func randomised() throws {
        var generator = SplitMix64(seed: 7)
        let table = LeadStringTable()
        var encodings: [([UInt8], LeadState)] = []
        for _ in 0..<500 {
            let state = RandomLeadState.make(using: &generator)
            let bytes = LeadStateCodec.encode(state, interningInto: table)
            #expect(bytes.first == LeadStateCodec.internedVersion)
            #expect(try LeadStateCodec.decode(bytes, strings: table) == state)
            let both = LeadStateCodec.encodeBoth(state, interningInto: table)
            #expect(both.interned == bytes, "the in-memory form is the same in one pass")
            #expect(both.selfContained == LeadStateCodec.encode(state), "and its self-contained twin is version 3's")
            encodings.append((bytes, state))
        }
        // Numbers never change meaning: the first encodings still read back after the table grew.
        for (bytes, state) in encodings { #expect(try LeadStateCodec.decode(bytes, strings: table) == state) }
        #expect(table.count > 0)
    }

    @Test("a typical lead is smaller in the in-memory form once its strings are in the table")
    func typicalIsSmaller() throws {
        let table = LeadStringTable()
        for settled in [false, true] {
            let state = try LeadStateCodecTests.typicalLead(settled: settled)
            let selfContained = LeadStateCodec.encode(state)
            _ = LeadStateCodec.encode(state, interningInto: table)
            let interned = LeadStateCodec.encode(state, interningInto: table)
            #expect(interned.count < selfContained.count - 30, "\(interned.count) vs \(selfContained.count)")
            #expect(try LeadStateCodec.decode(interned, strings: table) == state)
        }
        let countAfterTwoLeads = table.count
        _ = LeadStateCodec.encode(try LeadStateCodecTests.typicalLead(settled: false), interningInto: table)
        #expect(table.count == countAfterTwoLeads, "a repeated lead adds no string")
    }

    @Test("the in-memory form cannot be read without its table, nor with a table that lacks its numbers")
    func needsItsTable() throws {
        let table = LeadStringTable()
        let state = try LeadStateCodecTests.typicalLead(settled: false)
        let bytes = LeadStateCodec.encode(state, interningInto: table)
        let withoutTable = #expect(throws: LeadStateCodec.DecodingError.self) { try LeadStateCodec.decode(bytes) }
        #expect(withoutTable?.code == .unknownVersion)
        let otherTable = #expect(throws: LeadStateCodec.DecodingError.self) {
            try LeadStateCodec.decode(bytes, strings: LeadStringTable())
        }
        #expect(otherTable?.code == .corrupt)
        #expect(otherTable?.message.hasPrefix("string number ") == true)
        for version: UInt8 in [0, 5, 255] {
            var unknown = bytes
            unknown[0] = version
            let error = #expect(throws: LeadStateCodec.DecodingError.self) {
                try LeadStateCodec.decode(unknown, strings: table)
            }
            #expect(error?.message == "format version \(version) is not supported (supported: 1-4)")
        }
    }

    @Test("strings longer than the table takes stay inline and round-trip")
    func longStringsStayInline() throws {
        let table = LeadStringTable()
        let long = String(repeating: "Marketing Operations ", count: 5)
        var profile = LeadProfile()
        profile.company = long
        profile.title = "CTO"
        let state = LeadState(profile: profile)
        let bytes = LeadStateCodec.encode(state, interningInto: table)
        #expect(table.strings == ["CTO"])
        #expect(try LeadStateCodec.decode(bytes, strings: table) == state)
    }

    @Test("a full table takes no more strings: new ones stay inline, known ones keep their numbers")
    func fullTable() throws {
        let table = LeadStringTable((0..<LeadStringTable.maximumCount).map { "s\($0)" })
        #expect(table.count == LeadStringTable.maximumCount)
        var profile = LeadProfile()
        profile.company = "s7"
        profile.title = "a title never seen"
        let state = LeadState(profile: profile)
        let bytes = LeadStateCodec.encode(state, interningInto: table)
        #expect(table.count == LeadStringTable.maximumCount)
        #expect(try LeadStateCodec.decode(bytes, strings: table) == state)
        #expect(bytes.count < LeadStateCodec.encode(state).count, "the known company is a number")
    }

    @Test("every truncation of the in-memory form is refused, never trapped on")
    func truncation() throws {
        let table = LeadStringTable()
        let bytes = LeadStateCodec.encode(try LeadStateCodecTests.typicalLead(settled: false), interningInto: table)
        for length in 0..<bytes.count {
            let error = #expect(throws: LeadStateCodec.DecodingError.self) {
                try LeadStateCodec.decode(bytes[0..<length], strings: table)
            }
            #expect(error?.code == .truncated, "prefix of \(length) bytes")
        }
        var generator = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            var mutated = bytes
            mutated[Int.random(in: 1..<mutated.count, using: &generator)] = .random(in: 0...255, using: &generator)
            _ = try? LeadStateCodec.decode(mutated, strings: table)
        }
    }
}
