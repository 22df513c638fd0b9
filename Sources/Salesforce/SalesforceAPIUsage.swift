// MARK: - SalesforceAPIUsage

/// The org's API request usage in the rolling 24-hour window, as the last `Sforce-Limit-Info:
/// api-usage=N/M` response header reported it.
public struct SalesforceAPIUsage: Sendable, Hashable, CustomStringConvertible {
    /// Requests counted in the window (`N`).
    public var used: Int
    /// The daily allocation (`M`).
    public var max: Int

    /// Creates a usage figure.
    public init(used: Int, max: Int) {
        self.used = used
        self.max = max
    }

    /// Requests left before the allocation runs out (never negative).
    public var remaining: Int { Swift.max(0, max - used) }

    /// `used/max`, as the header writes it.
    public var description: String { "\(used)/\(max)" }

    /// Parses a `Sforce-Limit-Info` header value such as
    /// `api-usage=10018/100000; per-app-api-usage=17/250(appName=x)`; nil when it has no `api-usage` part.
    public init?(limitInfoHeader value: String) {
        for part in value.split(separator: ";") {
            let trimmed = part.trimmingWhitespace()
            guard trimmed.hasPrefix("api-usage=") else { continue }
            let figures = trimmed.dropFirst("api-usage=".count).split(separator: "/", maxSplits: 1)
            guard figures.count == 2,
                let used = Int(figures[0].trimmingWhitespace()),
                let max = Int(figures[1].prefix { $0.isNumber })
            else { return nil }
            self.init(used: used, max: max)
            return
        }
        return nil
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
