import Basics
import LeadModel
import Testing

@testable import Simulation

@Suite("JSON body writer")
struct JSONBodyWriterTests {
    @Test("timestamps in all three forms parse back to the same instant, leap days and year ends included")
    func timestampsRoundTrip() throws {
        var random = SplitMix64(seed: 11)
        var instants: [Int64] = [
            0, 951_782_400_000, 951_868_799_999, 1_709_164_800_123, 1_798_761_599_999, 4_107_542_399_999,
        ]
        for _ in 0..<5_000 { instants.append(random.within(Int64(0)...4_102_444_800_000)) }
        for instant in instants {
            let whole = instant - instant % 1000
            for (form, expected) in [
                (JSONBodyWriter.TimeForm.milliseconds, instant), (.seconds, whole), (.offset(minutes: 330), instant),
                (.offset(minutes: -480), instant), (.offset(minutes: 0), instant),
            ] {
                var writer = JSONBodyWriter(capacity: 40)
                writer.quotedTimestamp(expected, form: form)
                let text = String(decoding: writer.bytes.dropFirst().dropLast(), as: UTF8.self)
                let parsed = try #require(Timestamp(rfc3339: text), "\(text)")
                #expect(parsed.millisecondsSinceEpoch == expected, "\(text)")
            }
        }
        var writer = JSONBodyWriter(capacity: 40)
        writer.quotedTimestamp(1_795_334_400_123, form: .offset(minutes: 60))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"2026-11-22T09:00:00.123+01:00\"")
    }

    @Test("strings are escaped as JSON requires; numbers keep their decimals")
    func stringsAndNumbers() {
        var writer = JSONBodyWriter(capacity: 64)
        writer.string("a\"b\\c\n\u{01}é")
        writer.byte(UInt8(ascii: " "))
        writer.fixedPoint(3250, decimals: 2)
        writer.byte(UInt8(ascii: " "))
        writer.fixedPoint(5, decimals: 3)
        writer.byte(UInt8(ascii: " "))
        writer.integer(-42)
        writer.byte(UInt8(ascii: " "))
        writer.integer(0)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é" 32.50 0.005 -42 0"#)
    }

    @Test("event ids are version 4 UUID text")
    func uuidText() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<100 {
            let text = String(decoding: JSONBodyWriter.uuidText(random.next(), random.next()), as: UTF8.self)
            let groups = text.split(separator: "-")
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(groups[2].first == "4")
            #expect("89ab".contains(groups[3].first ?? "x"))
            #expect(text.allSatisfy { "0123456789abcdef-".contains($0) })
        }
    }
}
