import SandboxSupport
import Testing

@Suite("CSVText: Marketo's lenient and Salesforce's strict reading, one reader")
struct CSVTextTests {
    @Test("quoted values hold delimiters, doubled quotes and line breaks; blank lines are dropped; any line ending")
    func rfc4180() throws {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n3,4,5\r6,7,8"
        let expected = [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"], ["3", "4", "5"], ["6", "7", "8"]]
        #expect(CSVText.records(text, delimiter: ",") == expected)
        #expect(try CSVText.strictRecords(text, delimiter: ",") == expected)
    }

    @Test("a quote inside a value opens a quoted part when lenient, and is a character of the value when strict")
    func quoteInsideAValue() throws {
        #expect(CSVText.records("ab\"c;d\"e;f\n", delimiter: ";") == [["abc;de", "f"]])
        #expect(try CSVText.strictRecords("ab\"c;d\"e;f\n", delimiter: ";") == [["ab\"c", "d\"e", "f"]])
    }

    @Test("an unterminated quote runs to the end when lenient, and is refused with a reason when strict")
    func unterminatedQuote() {
        #expect(CSVText.records("a\t\"b\tc\n", delimiter: "\t") == [["a", "b\tc\n"]])
        #expect {
            try CSVText.strictRecords("a,\"b,c\n", delimiter: ",")
        } throws: { error in
            (error as? CSVText.ParseError)?.reason == "unterminated quoted value"
        }
    }

    @Test("a leading byte order mark is dropped when lenient and kept when strict")
    func byteOrderMark() throws {
        #expect(CSVText.records("\u{FEFF}email\nx@example.com\n", delimiter: ",") == [["email"], ["x@example.com"]])
        #expect(try CSVText.strictRecords("\u{FEFF}email\n", delimiter: ",") == [["\u{FEFF}email"]])
    }

    @Test("values are quoted when they need it, with their quotes doubled")
    func quoting() {
        #expect(CSVText.quotedIfNeeded("plain", delimiter: ",") == "plain")
        #expect(CSVText.quotedIfNeeded("a;b", delimiter: ";") == "\"a;b\"")
        #expect(CSVText.quotedIfNeeded("a;b", delimiter: ",") == "a;b")
        #expect(CSVText.quotedIfNeeded("say \"hi\"", delimiter: ",") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.quotedIfNeeded("two\r\nlines", delimiter: ",") == "\"two\r\nlines\"")
        #expect(CSVText.quoted("") == "\"\"")
    }
}

@Suite("JSONText: compact JSON in the members' order")
struct JSONTextTests {
    @Test("strings escape quotes, backslashes and control characters")
    func strings() {
        var out = ""
        JSONText.writeString("a\"b\\c\nd\u{01}é", into: &out)
        #expect(out == "\"a\\\"b\\\\c\\nd\\u0001é\"")
    }

    @Test("whole numbers print without a fraction; NaN and infinities as null")
    func numbers() {
        #expect(JSONText.number(42) == "42")
        #expect(JSONText.number(-3) == "-3")
        #expect(JSONText.number(2.5) == "2.5")
        #expect(JSONText.number(1e15) == "1000000000000000.0")  // beyond 10^15: Swift's own form
        #expect(JSONText.number(.nan) == "null")
        #expect(JSONText.number(-.infinity) == "null")
    }

    @Test("arrays and objects keep their order and nest")
    func containers() {
        var out = ""
        JSONText.writeObject([("b", [1, 2]), ("a", [])], into: &out) { items, out in
            JSONText.writeArray(items, into: &out) { item, out in out += String(item) }
        }
        #expect(out == "{\"b\":[1,2],\"a\":[]}")
    }
}
