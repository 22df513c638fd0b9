public import LeadModel

/// The times `--since` and `--until` take: an RFC 3339 date-time with a zone (`2026-11-24T18:00:00Z`), a date
/// (`2026-11-24`, midnight UTC), or an age before now: an integer with `s`, `m`, `h` or `d` (`90m`, `2h`, `7d`).
public enum DeadLetterTimeText {
    /// What a time looks like, for messages and help.
    public static let expectation =
        "an RFC 3339 time (2026-11-24T18:00:00Z), a date (2026-11-24, UTC) or an age such as 30m, 2h or 7d"

    /// Parses `text`, with ages counted back from `now`.
    /// - Throws: ``DeadLetterError/Code/invalidArgument`` quoting the text and the expected forms.
    public static func parse(_ text: String, now: Timestamp) throws(DeadLetterError) -> Timestamp {
        if let time = Timestamp(rfc3339: text) { return time }
        if text.count == 10, let time = Timestamp(rfc3339: text + "T00:00:00Z") { return time }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count)
        let unitMilliseconds: [Substring: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard !digits.isEmpty, let amount = Int64(digits), let multiplier = unitMilliseconds[unit],
            amount <= Int64.max / multiplier
        else {
            throw .invalidArgument("'\(text)' is not a time; expected \(expectation)")
        }
        return now.adding(milliseconds: -amount * multiplier)
    }
}
