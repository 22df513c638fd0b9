import Foundation

// MARK: - CSVText

/// RFC 4180 delimited text as the CRMs' bulk files use it: quoted values may hold delimiters, quotes (doubled) and
/// line breaks; LF, CRLF or CR line endings; blank lines are dropped.
///
/// Marketo's bulk import is lenient (``records(_:delimiter:)``): a quote anywhere in a value opens a quoted part, an
/// unterminated quote runs to the end of the file, and a leading byte order mark is dropped. Salesforce's Bulk API
/// 2.0 is strict (``strictRecords(_:delimiter:)``): a quote opens a quoted value only at the value's start (else it
/// is a character of the value), an unterminated quote is an error, a byte order mark is kept.
public enum CSVText {
    /// Text that strict reading refuses.
    public struct ParseError: Error, Sendable {
        /// What is wrong with it.
        public var reason: String
    }

    /// Records of values, read leniently (Marketo's bulk import).
    public static func records(_ text: String, delimiter: Character) -> [[String]] {
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" { characters = characters.dropFirst() }
        return read(characters, delimiter: delimiter, lenient: true).records
    }

    /// Records of values, read strictly (Salesforce's Bulk API 2.0).
    /// - Throws: ``ParseError`` for an unterminated quoted value.
    public static func strictRecords(_ text: String, delimiter: Character) throws(ParseError) -> [[String]] {
        let result = read(Substring(text), delimiter: delimiter, lenient: false)
        if result.unterminatedQuote { throw ParseError(reason: "unterminated quoted value") }
        return result.records
    }

    /// `value` in quotes, its quotes doubled.
    public static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `value` quoted when it holds the delimiter, a quote or a line break, else as it is.
    public static func quotedIfNeeded(_ value: String, delimiter: Character) -> String {
        value.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            ? quoted(value) : value
    }

    private static func read(
        _ text: Substring,
        delimiter: Character,
        lenient: Bool
    ) -> (records: [[String]], unterminatedQuote: Bool) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var iterator = text.makeIterator()
        var pending: Character?
        func nextCharacter() -> Character? {
            if let held = pending {
                pending = nil
                return held
            }
            return iterator.next()
        }
        while let character = nextCharacter() {
            if inQuotes {
                guard character == "\"" else {
                    field.append(character)
                    continue
                }
                let following = nextCharacter()
                if following == "\"" {
                    field.append("\"")
                } else {
                    inQuotes = false
                    pending = following
                }
            } else if character == "\"" && (lenient || (field.isEmpty && !fieldWasQuoted)) {
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
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted {
            record.append(field)
            records.append(record)
        }
        records.removeAll { $0 == [""] }
        return (records, inQuotes)
    }
}
