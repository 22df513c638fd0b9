internal import Foundation

// MARK: - PreflightReport

/// Every check of one preflight run, in the order they ran (tenant by tenant, CRM by CRM).
public struct PreflightReport: Sendable, Hashable {
    /// The checks.
    public var checks: [PreflightCheck]

    /// Creates a report.
    public init(checks: [PreflightCheck] = []) {
        self.checks = checks
    }

    /// Whether nothing failed (warnings allowed).
    public var passed: Bool { !checks.contains { $0.outcome == .fail } }

    /// The failures a writer refuses to start on.
    public var blockingFailures: [PreflightCheck] { checks.filter(\.blocking) }

    /// The checks that failed.
    public var failures: [PreflightCheck] { checks.filter { $0.outcome == .fail } }

    /// `N checks: P passed, W warnings, F failed (B blocking)`.
    public var summary: String {
        let passes = checks.count { $0.outcome == .pass }
        let warnings = checks.count { $0.outcome == .warn }
        let failed = failures.count
        var text =
            "\(checks.count) checks: \(passes) passed, \(warnings) warning\(warnings == 1 ? "" : "s"), "
            + "\(failed) failed"
        if failed > 0 { text += " (\(blockingFailures.count) blocking a writer's start)" }
        return text
    }

    /// The report as JSON: `{"passed": …, "summary": …, "checks": [{tenant, crm, item, outcome, detail, fix,
    /// blocking}]}`.
    public func json() -> String {
        struct Document: Encodable {
            var passed: Bool
            var summary: String
            var checks: [PreflightCheck]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(passed: passed, summary: summary, checks: checks))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The report as a table: one row per check with its result; below each warning or failure, what was
    /// found and the fix. Ends with the summary.
    public func table() -> String {
        let headers = ["TENANT", "CRM", "CHECK", "RESULT"]
        let rows = checks.map { check in
            [check.tenant, check.destination.rawValue, check.item, Self.result(check)]
        }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        widths[2] = min(widths[2], 64)
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1
                    ? cell
                    : cell.padding(
                        toLength: max(widths[index], cell.count),
                        withPad: " ",
                        startingAt: 0
                    )
            }.joined(separator: "  ")
        }
        var lines = [line(headers)]
        let indent = String(repeating: " ", count: widths[0] + widths[1] + 4)
        for (check, row) in zip(checks, rows) {
            lines.append(line(row))
            if check.outcome != .pass {
                lines.append(indent + "found: " + check.detail)
                if let fix = check.fix { lines.append(indent + "fix:   " + fix) }
            }
        }
        lines.append("")
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    private static func result(_ check: PreflightCheck) -> String {
        switch check.outcome {
        case .pass: "pass"
        case .warn: "WARN"
        case .fail: check.blocking ? "FAIL (blocking)" : "FAIL"
        }
    }
}
