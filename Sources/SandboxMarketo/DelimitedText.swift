import SandboxSupport

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

    /// Rows of cells, read leniently as Marketo does (`SandboxSupport.CSVText.records(_:delimiter:)`): quoted cells may
    /// hold delimiters, quotes (doubled) and line breaks. Blank lines are dropped.
    static func parse(_ text: String, delimiter: Character) -> [[String]] {
        CSVText.records(text, delimiter: delimiter)
    }

    /// Renders rows, quoting cells that need it.
    static func render(_ rows: [[String]], delimiter: Character) -> String {
        rows.map { row in
            row.map { CSVText.quotedIfNeeded($0, delimiter: delimiter) }.joined(separator: String(delimiter))
        }.joined(separator: "\n") + "\n"
    }
}
