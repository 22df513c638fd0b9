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
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        func nextCharacter() -> Character? {
            if let held = pending {
                pending = nil
                return held
            }
            return iterator.next()
        }
        while let character = nextCharacter() {
            if inQuotes {
                if character == "\"" {
                    if let following = nextCharacter() {
                        if following == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
            } else if character == delimiter {
                record.append(field)
                field = ""
                fieldWasQuoted = false
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                record.append(field)
                records.append(record)
                record = []
                field = ""
                fieldWasQuoted = false
            } else {
                field.append(character)
            }
        }
        if inQuotes { throw ParseError(reason: "unterminated quoted value") }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted {
            record.append(field)
            records.append(record)
        }
        records.removeAll { $0 == [""] }
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
        func quote(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func plain(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? quote(value) : value
        }
        var lines = [(prefix.map(quote) + header.map(plain)).joined(separator: ",")]
        for row in rows {
            lines.append(row.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: lineEnding) + lineEnding
    }
}
