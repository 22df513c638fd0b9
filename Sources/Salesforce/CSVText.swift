// MARK: - CSVText

/// RFC 4180 CSV as Bulk API 2.0 reads and writes it: comma-delimited, fields quoted when they hold a comma, a
/// quote or a line break, quotes doubled.
enum CSVText {
    /// Writes a header and rows with the given line ending.
    static func write(header: [String], rows: [[String]], lineEnding: String) -> String {
        var text = header.map(quote).joined(separator: ",") + lineEnding
        for row in rows {
            text += row.map(quote).joined(separator: ",") + lineEnding
        }
        return text
    }

    private static func quote(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads CSV text into rows of cells. Accepts LF and CRLF line endings; a trailing line break ends the last
    /// row. Returns nil when a quoted field is not closed.
    static func read(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var inQuotes = false
        var atCellStart = true
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending {
                pending = nil
                return scalar
            }
            return iterator.next()
        }
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            cell.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atCellStart:
                inQuotes = true
                atCellStart = false
            case ",":
                row.append(cell)
                cell = ""
                atCellStart = true
            case "\r":
                // CRLF or a bare CR both end a row.
                if let following = next(), following != "\n" { pending = following }
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
                atCellStart = true
            case "\n":
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
                atCellStart = true
            default:
                cell.unicodeScalars.append(scalar)
                atCellStart = false
            }
        }
        if inQuotes { return nil }
        if !cell.isEmpty || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }

    /// Reads CSV with a header row into dictionaries by column name.
    static func readTable(_ text: String) -> (header: [String], rows: [[String: String]])? {
        guard let rows = read(text) else { return nil }
        guard let header = rows.first else { return ([], []) }
        let records = rows.dropFirst().filter { $0 != [""] }.map { cells in
            var record: [String: String] = [:]
            for (index, name) in header.enumerated() {
                record[name] = index < cells.count ? cells[index] : ""
            }
            return record
        }
        return (header, records)
    }
}
