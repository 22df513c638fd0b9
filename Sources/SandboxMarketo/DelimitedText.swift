import Foundation

/// CSV, TSV and SSV as bulk files use them: RFC 4180 quoting, the delimiter chosen by the job's format.
enum DelimitedText {
    /// The delimiter of a bulk format (`csv`, `tsv`, `ssv`, any case); nil for an unknown format.
    static func delimiter(forFormat format: String) -> Character? {
        switch format.lowercased() {
        case "csv": ","
        case "tsv": "\t"
        case "ssv": ";"
        default: nil
        }
    }

    /// Rows of cells; quoted cells may hold delimiters, quotes (doubled) and line breaks. Blank lines are dropped.
    static func parse(_ text: String, delimiter: Character) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var afterQuote = false
        var chars = Substring(text)
        if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
        func endRow() {
            row.append(cell)
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
            cell = ""
        }
        for ch in chars {
            if quoted {
                if ch == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    cell.append(ch)
                }
                continue
            }
            switch ch {
            case "\"":
                if afterQuote { cell.append("\"") }
                quoted = true
                afterQuote = false
            case delimiter:
                row.append(cell)
                cell = ""
                afterQuote = false
            case "\n", "\r\n":
                endRow()
                afterQuote = false
            case "\r":
                endRow()
                afterQuote = false
            default:
                cell.append(ch)
                afterQuote = false
            }
        }
        if !cell.isEmpty || !row.isEmpty { endRow() }
        return rows
    }

    /// Renders rows, quoting cells that need it.
    static func render(_ rows: [[String]], delimiter: Character) -> String {
        rows.map { row in
            row.map { cell in
                if cell.contains(delimiter) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r") {
                    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return cell
            }.joined(separator: String(delimiter))
        }.joined(separator: "\n") + "\n"
    }
}
