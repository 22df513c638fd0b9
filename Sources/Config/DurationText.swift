import Basics

// MARK: - DurationText

/// The duration syntax of the configuration: an integer with a unit (`250ms`, `15s`, `15m`, `2h`), or a bare
/// integer meaning milliseconds. Nothing else is accepted: no fractions, no signs, no spaces, no other units.
enum DurationText {
    /// Why a text is not a duration.
    struct Failure: Error, Sendable, Hashable {
        /// Says what is wrong, to follow the quoted text (`has an unknown unit "x"`).
        var reason: String
    }

    /// What a duration looks like, for messages.
    static let expectation = "a duration such as 250ms, 15s, 15m or 2h (or an integer number of milliseconds)"

    /// Units and their length in milliseconds.
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000),
    ]

    /// Parses `text`.
    static func parse(_ text: String) -> Result<Duration, Failure> {
        guard !text.isEmpty else { return .failure(Failure(reason: "is empty")) }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = String(text.dropFirst(digits.count))
        guard !digits.isEmpty else {
            if text.hasPrefix("-") { return .failure(Failure(reason: "is negative")) }
            return .failure(Failure(reason: "does not start with a number"))
        }
        guard let amount = Int64(digits) else { return .failure(Failure(reason: "is too large")) }
        if unit.hasPrefix(".") || unit.hasPrefix(",") {
            return .failure(Failure(reason: "has a fraction; use a smaller unit (1500ms instead of 1.5s)"))
        }
        let multiplier: Int64
        if unit.isEmpty {
            multiplier = 1
        } else if let match = units.first(where: { $0.suffix == unit }) {
            multiplier = match.milliseconds
        } else {
            return .failure(Failure(reason: "has an unknown unit \(quoted(unit)) (units: ms, s, m, h)"))
        }
        let (milliseconds, overflow) = amount.multipliedReportingOverflow(by: multiplier)
        guard !overflow, milliseconds <= Int64.max / 1_000_000 else {
            return .failure(Failure(reason: "is too large"))
        }
        return .success(.milliseconds(milliseconds))
    }

    /// The duration in the largest unit that divides it (`15m`, `1500ms`).
    static func format(_ duration: Duration) -> String {
        let milliseconds = Int64(duration.milliseconds)
        for (suffix, length) in units.reversed() where milliseconds != 0 && milliseconds % length == 0 {
            return "\(milliseconds / length)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
