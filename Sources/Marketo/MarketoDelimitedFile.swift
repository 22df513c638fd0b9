public import Foundation

/// A delimited text file (CSV, TSV or SSV) as bulk imports take it and as their failures and warnings files
/// return it: a header row of field names, then data rows. Quoting follows RFC 4180 (`"a, b"`, `""` for a
/// quote inside a quoted cell).
public struct MarketoDelimitedFile: Sendable, Hashable {
    /// The column names (REST field names; failures and warnings files add `Import Failure Reason` or
    /// `Import Warning Reason`).
    public var header: [String]
    /// The data rows, each as many cells as it had in the file.
    public var rows: [[String]]

    /// The extra column of a failures file.
    public static let failureReasonColumn = "Import Failure Reason"
    /// The extra column of a warnings file.
    public static let warningReasonColumn = "Import Warning Reason"

    /// Creates a file from a header and rows.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Creates a file from records, one column per field name that any record has (sorted), null values as
    /// empty cells.
    public init(records: [[String: MarketoFieldValue]], columns: [String]? = nil) {
        let names = columns ?? Array(Set(records.flatMap(\.keys))).sorted()
        self.header = names
        self.rows = records.map { record in names.map { record[$0]?.description ?? "" } }
    }

    /// Each data row as a dictionary by column name (cells beyond the header are dropped, missing ones are
    /// empty).
    public var records: [[String: String]] {
        rows.map { row in
            var record: [String: String] = [:]
            for (index, name) in header.enumerated() { record[name] = index < row.count ? row[index] : "" }
            return record
        }
    }

    /// The values of one column, in row order (empty cells where a row is short); nil for an unknown column.
    public func column(_ name: String) -> [String]? {
        guard let index = header.firstIndex(of: name) else { return nil }
        return rows.map { index < $0.count ? $0[index] : "" }
    }

    // MARK: - Text

    /// Parses delimited text; an empty text is a file without header or rows.
    /// - Parameters:
    ///   - text: The file's text.
    ///   - separator: `,` (CSV), tab (TSV) or `;` (SSV).
    public init(parsing text: String, separator: Character = ",") {
        var lines: [[String]] = []
        var row: [String] = []
        var cell = ""
        var inQuotes = false
        var cellWasQuoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending {
                pending = nil
                return character
            }
            return iterator.next()
        }
        func endRow() {
            row.append(cell)
            if !(row.count == 1 && row[0].isEmpty && !cellWasQuoted) { lines.append(row) }
            row = []
            cell = ""
            cellWasQuoted = false
        }
        while let character = next() {
            if inQuotes {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            cell.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" && cell.isEmpty {
                inQuotes = true
                cellWasQuoted = true
            } else if character == separator {
                row.append(cell)
                cell = ""
                cellWasQuoted = false
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                endRow()
            } else {
                cell.append(character)
            }
        }
        if !cell.isEmpty || !row.isEmpty || cellWasQuoted { endRow() }
        self.header = lines.first ?? []
        self.rows = Array(lines.dropFirst())
    }

    /// The file as text, rows ending in `\n`, cells quoted when they hold the separator, a quote or a line
    /// break.
    public func text(separator: Character = ",") -> String {
        func cell(_ value: String) -> String {
            guard value.contains(where: { $0 == separator || $0 == "\"" || $0.isNewline }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([header] + rows).map { $0.map(cell).joined(separator: String(separator)) + "\n" }.joined()
    }

    /// The file as UTF-8 bytes in a format.
    public func data(format: MarketoBulkImportFormat = .csv) -> Data {
        Data(text(separator: format.separator).utf8)
    }
}
