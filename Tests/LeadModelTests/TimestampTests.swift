import Basics
import LeadModel
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test(
        "valid date-times parse to the right instant",
        arguments: [
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T00:00:00.001Z", 1),
            ("2026-11-22T10:00:00.123Z", 1_795_341_600_123),
            ("2026-11-22T10:00:00Z", 1_795_341_600_000),
            ("2026-11-22t10:00:00z", 1_795_341_600_000),
            ("2026-11-22T11:00:00+01:00", 1_795_341_600_000),
            ("2026-11-22T04:30:00-05:30", 1_795_341_600_000),
            ("2026-11-22T11:00:00.5+01:00", 1_795_341_600_500),
            ("2026-11-22T10:00:00.1Z", 1_795_341_600_100),
            ("2026-11-22T10:00:00.12Z", 1_795_341_600_120),
            ("2026-11-22T10:00:00.123456789Z", 1_795_341_600_123),  // truncated, not rounded
            ("2026-11-22T10:00:00.9999Z", 1_795_341_600_999),
            ("2024-02-29T00:00:00Z", 1_709_164_800_000),  // leap day
            ("2000-02-29T00:00:00Z", 951_782_400_000),  // divisible by 400
            ("1969-12-31T23:59:59.999Z", -1),
            ("1900-01-01T00:00:00Z", -2_208_988_800_000),
            ("2016-12-31T23:59:60Z", 1_483_228_800_000),  // leap second counts as the next minute
            ("2026-11-22T00:00:00+23:59", 1_795_219_260_000),
        ] as [(String, Int64)]
    )
    func parses(text: String, milliseconds: Int64) throws {
        let timestamp = try #require(Timestamp(rfc3339: text))
        #expect(timestamp.millisecondsSinceEpoch == milliseconds)
    }

    @Test(
        "invalid date-times are refused",
        arguments: [
            "", "2026-11-22", "2026-11-22T10:00:00", "2026-11-22T10:00Z", "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00,123Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z",
            "2026-11-22T10:60:00Z", "2026-11-22T10:00:61Z", "2026-11-22T10:00:00+0100", "2026-11-22T10:00:00+01",
            "2026-11-22T10:00:00+24:00", "2026-11-22T10:00:00+01:60", " 2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00Z ", "2026-11-22T10:00:00ZZ", "+2026-11-22T10:00:00Z", "20261122T100000Z",
            "2026-1a-22T10:00:00Z", "2026-11-22T10:00:00.123", "2026-11-22T10:00:00.123UTC",
        ]
    )
    func refuses(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test(
        "formatting gives UTC with milliseconds",
        arguments: [
            (0, "1970-01-01T00:00:00.000Z"),
            (1_795_341_600_123, "2026-11-22T10:00:00.123Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        ] as [(Int64, String)]
    )
    func formats(milliseconds: Int64, text: String) {
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).rfc3339 == text)
    }

    @Test("formatting and parsing round-trip across the calendar")
    func roundTrips() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &generator)
            let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        }
    }

    @Test("adding saturates instead of trapping")
    func addingSaturates() {
        #expect(Timestamp(millisecondsSinceEpoch: .max - 1).adding(milliseconds: 10).millisecondsSinceEpoch == .max)
        #expect(Timestamp(millisecondsSinceEpoch: 5).adding(milliseconds: -7).millisecondsSinceEpoch == -2)
    }
}
