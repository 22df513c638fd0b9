// MARK: - RFC 3339 parsing and formatting

extension Timestamp {
    /// Parses an RFC 3339 date-time such as `2026-11-22T10:00:00.123Z` or `2026-11-22T11:00:00+01:00`.
    ///
    /// Strict by design, because a date the events platform did not mean must not be folded:
    /// - the zone is required (`Z`/`z` or `±hh:mm`); the date/time separator is `T` or `t`;
    /// - fractional seconds are optional and may have any number of digits; they are truncated to milliseconds;
    /// - years are `0000`-`9999`, every field is range-checked, and days are checked against the month (leap years
    ///   included); a leap second (`:60`) is accepted and counted as the first instant of the next minute, as POSIX
    ///   time does;
    /// - nothing may precede or follow the date-time (no whitespace).
    ///
    /// Returns `nil` when the text is not such a date-time.
    public init?(rfc3339 text: some StringProtocol) {
        var text = String(text)
        let parsed = text.withUTF8 { Timestamp.parseRFC3339(UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses RFC 3339 from raw UTF-8 bytes (see ``init(rfc3339:)``); used by the decoders without making a `String`.
    static func parseRFC3339(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        let count = bytes.count
        // Shortest valid form: "YYYY-MM-DDTHH:MM:SSZ" (20 bytes).
        guard count >= 20 else { return nil }

        @inline(__always)
        func digits(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(bytes[index]) &- 0x30
                guard digit >= 0, digit <= 9 else { return nil }
                value = value &* 10 &+ digit
            }
            return value
        }

        guard
            let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = digits(5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var index = 19
        var milliseconds = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if index - fractionStart < 3 {
                    milliseconds = milliseconds * 10 + Int(bytes[index] - 0x30)
                }
                index += 1
            }
            let fractionDigits = index - fractionStart
            guard fractionDigits > 0 else { return nil }
            if fractionDigits == 1 { milliseconds *= 100 } else if fractionDigits == 2 { milliseconds *= 10 }
        }

        guard index < count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard count - index == 6, let offsetHours = digits(index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
                let offsetMinute = digits(index + 4, 2), offsetHours <= 23, offsetMinute <= 59
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
            index += 6
        default:
            return nil
        }
        guard index == count else { return nil }

        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return Timestamp(millisecondsSinceEpoch: seconds * 1000 + Int64(milliseconds))
    }

    /// The UTC RFC 3339 form with exactly three fractional digits, e.g. `2026-11-22T10:00:00.123Z`.
    public var rfc3339: String {
        String(unsafeUninitializedCapacity: Self.rfc3339Length) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            writeRFC3339(into: UnsafeMutableRawPointer(base))
            return Self.rfc3339Length
        }
    }

    /// The byte length of ``rfc3339``.
    static let rfc3339Length = 24

    /// Writes ``rfc3339`` as 24 ASCII bytes at `destination` (the JSON writer uses it without making a `String`).
    func writeRFC3339(into destination: UnsafeMutableRawPointer) {
        let milliseconds = millisecondsSinceEpoch
        var days = milliseconds / 86_400_000
        var remainder = milliseconds % 86_400_000
        if remainder < 0 {
            remainder += 86_400_000
            days -= 1
        }
        let (year, month, day) = Timestamp.civilFromDays(days)
        let millisOfDay = Int(remainder)
        var index = 0
        func put(_ value: Int, width: Int) {
            var value = value
            var position = index + width - 1
            while position >= index {
                destination.storeBytes(
                    of: UInt8(truncatingIfNeeded: 0x30 + value % 10),
                    toByteOffset: position,
                    as: UInt8.self
                )
                value /= 10
                position -= 1
            }
            index += width
        }
        func put(_ character: UInt8) {
            destination.storeBytes(of: character, toByteOffset: index, as: UInt8.self)
            index += 1
        }
        // Years outside 0...9999 cannot come from RFC 3339 input; clamp the digits rather than trap.
        put(min(max(year, 0), 9999), width: 4)
        put(UInt8(ascii: "-"))
        put(month, width: 2)
        put(UInt8(ascii: "-"))
        put(day, width: 2)
        put(UInt8(ascii: "T"))
        put(millisOfDay / 3_600_000, width: 2)
        put(UInt8(ascii: ":"))
        put(millisOfDay / 60_000 % 60, width: 2)
        put(UInt8(ascii: ":"))
        put(millisOfDay / 1000 % 60, width: 2)
        put(UInt8(ascii: "."))
        put(millisOfDay % 1000, width: 3)
        put(UInt8(ascii: "Z"))
    }

    // MARK: - Civil calendar (proleptic Gregorian), after Howard Hinnant's algorithms

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a civil date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = Int(days) + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
