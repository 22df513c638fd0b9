// MARK: - RFC 3339 and UUID text

extension JSONBodyWriter {
    /// How an `occurredAt` is spelled: all three are valid RFC 3339 and denote the same instant.
    enum TimeForm: Sendable, Hashable {
        /// `2026-11-22T10:00:00.123Z`.
        case milliseconds
        /// `2026-11-22T10:00:00Z` (the instant has no fraction of a second).
        case seconds
        /// `2026-11-22T11:00:00.123+01:00`: local time with a zone offset in minutes.
        case offset(minutes: Int)
    }

    /// Appends the quoted RFC 3339 text of `millisecondsSinceEpoch` in the given form.
    mutating func quotedTimestamp(_ millisecondsSinceEpoch: Int64, form: TimeForm) {
        byte(UInt8(ascii: "\""))
        switch form {
        case .milliseconds:
            dateTime(millisecondsSinceEpoch, fraction: true)
            byte(UInt8(ascii: "Z"))
        case .seconds:
            dateTime(millisecondsSinceEpoch, fraction: false)
            byte(UInt8(ascii: "Z"))
        case .offset(let minutes):
            dateTime(millisecondsSinceEpoch + Int64(minutes) * 60_000, fraction: true)
            byte(minutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            padded(abs(minutes) / 60, width: 2)
            byte(UInt8(ascii: ":"))
            padded(abs(minutes) % 60, width: 2)
        }
        byte(UInt8(ascii: "\""))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.mmm]` of a UTC instant (civil-from-days, Howard Hinnant's algorithm).
    private mutating func dateTime(_ milliseconds: Int64, fraction: Bool) {
        let millisecondsPerDay: Int64 = 86_400_000
        var days = milliseconds / millisecondsPerDay
        var ofDay = milliseconds % millisecondsPerDay
        if ofDay < 0 {
            ofDay += millisecondsPerDay
            days -= 1
        }
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        padded(Int(year), width: 4)
        byte(UInt8(ascii: "-"))
        padded(Int(month), width: 2)
        byte(UInt8(ascii: "-"))
        padded(Int(day), width: 2)
        byte(UInt8(ascii: "T"))
        let seconds = Int(ofDay / 1000)
        padded(seconds / 3600, width: 2)
        byte(UInt8(ascii: ":"))
        padded(seconds / 60 % 60, width: 2)
        byte(UInt8(ascii: ":"))
        padded(seconds % 60, width: 2)
        if fraction {
            byte(UInt8(ascii: "."))
            padded(Int(ofDay % 1000), width: 3)
        }
    }

    private static let lowercaseHex: [UInt8] = Array("0123456789abcdef".utf8)

    /// The 36-character text of a random (version 4) UUID made of two random words.
    static func uuidText(_ high: UInt64, _ low: UInt64) -> [UInt8] {
        // Version 4, variant 10xx.
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var text = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { position += 1 }
            let word = nibble < 16 ? high : low
            let shift = UInt64(60 - (nibble % 16) * 4)
            text[position] = lowercaseHex[Int((word >> shift) & 0xF)]
            position += 1
        }
        return text
    }
}
