import SandboxSupport

// MARK: - CSVTable

/// RFC 4180 CSV as Bulk API 2.0 reads and writes it: a header row of field names, quoted values may hold
/// delimiters, quotes (doubled) and line breaks; LF or CRLF line endings.
struct CSVTable: Sendable {
    var header: [String]
    var rows: [[String]]

    /// A CSV body that cannot be read.
    struct ParseError: Error {
        var reason: String
    }

    static func parse(_ text: String, delimiter: Character) throws(ParseError) -> CSVTable {
        let records: [[String]]
        do {
            records = try CSVText.strictRecords(text, delimiter: delimiter)
        } catch {
            throw ParseError(reason: error.reason)
        }
        guard let header = records.first, !header.isEmpty else { throw ParseError(reason: "no header row") }
        let rows = Array(records.dropFirst())
        for (number, row) in rows.enumerated() where row.count != header.count {
            throw ParseError(
                reason: "row \(number + 1) has \(row.count) values but the header has \(header.count) columns"
            )
        }
        return CSVTable(header: header, rows: rows)
    }

    /// Writes rows with `"`-quoted values (as the results endpoints do); `prefix` columns come first and are
    /// quoted in the header, the original columns keep their header text.
    static func write(prefix: [String], header: [String], rows: [[String]], lineEnding: String) -> String {
        let headerLine = prefix.map(CSVText.quoted) + header.map { CSVText.quotedIfNeeded($0, delimiter: ",") }
        var lines = [headerLine.joined(separator: ",")]
        for row in rows {
            lines.append(row.map(CSVText.quoted).joined(separator: ","))
        }
        return lines.joined(separator: lineEnding) + lineEnding
    }
}
