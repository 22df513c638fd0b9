import Marketo
import Testing

@Suite("Delimited files (CSV, TSV, SSV)")
struct DelimitedFileTests {
    @Test("Quoted separators, quotes and line breaks survive a round trip")
    func roundTrip() {
        let file = MarketoDelimitedFile(
            header: ["email", "company", "note"],
            rows: [
                ["a@example.com", "Hopper, Navy & Co", "said \"hi\""],
                ["b@example.com", "", "two\nlines"],
                ["c@example.com", "plain", ""],
            ]
        )
        for format in MarketoBulkImportFormat.allCases {
            let text = file.text(separator: format.separator)
            #expect(MarketoDelimitedFile(parsing: text, separator: format.separator) == file, "\(format)")
        }
        #expect(file.text().contains("\"Hopper, Navy & Co\""))
        #expect(file.text().contains("\"said \"\"hi\"\"\""))
    }

    @Test("CRLF line ends, a missing final newline and blank lines parse; records map cells to the header")
    func parsing() {
        let parsed = MarketoDelimitedFile(
            parsing: "email,Import Failure Reason\r\nx@example.com,Invalid email address\r\n\r\ny,\"a, b\"",
            separator: ","
        )
        #expect(parsed.header == ["email", "Import Failure Reason"])
        #expect(parsed.rows == [["x@example.com", "Invalid email address"], ["y", "a, b"]])
        #expect(parsed.records.first?[MarketoDelimitedFile.failureReasonColumn] == "Invalid email address")
        #expect(MarketoDelimitedFile(parsing: "").header.isEmpty)
        #expect(MarketoDelimitedFile(records: [["b": 1, "a": "x"], ["a": nil]]).rows == [["x", "1"], ["", ""]])
    }
}
