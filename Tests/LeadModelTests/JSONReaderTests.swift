import Testing

@testable import LeadModel

@Suite("JSON reader")
struct JSONReaderTests {
    /// Reads one value the generic way: strings as text, numbers as doubles, containers recursively.
    indirect enum Value: Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case array([Value])
        case object([String: Value])
    }

    static func parse(_ text: String) throws(JSONReaderError) -> Value {
        try parse(bytes: Array(text.utf8))
    }

    static func parse(bytes: [UInt8]) throws(JSONReaderError) -> Value {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONReaderError) in
                var reader = JSONReader(buffer)
                let value = try read(&reader)
                try reader.finish()
                return value
            }
        }
        return try result.get()
    }

    static func read(_ reader: inout JSONReader) throws(JSONReaderError) -> Value {
        switch try reader.peekKind() {
        case .string: return .string(try reader.readString())
        case .number:
            let token = try reader.readNumber()
            return .number(reader.double(token) ?? .nan)
        case .boolean: return .bool(try reader.readBool())
        case .null:
            try reader.readNull()
            return .null
        case .array:
            try reader.beginArray()
            var values: [Value] = []
            while try reader.hasNextElement(isFirst: values.isEmpty) { values.append(try read(&reader)) }
            return .array(values)
        case .object:
            try reader.beginObject()
            var members: [String: Value] = [:]
            var isFirst = true
            while let key = try reader.nextKey(isFirst: isFirst) {
                isFirst = false
                members[try reader.string(key)] = try read(&reader)
            }
            return .object(members)
        }
    }

    @Test("nested structures parse")
    func nested() throws {
        let value = try Self.parse(#" { "a" : [1, -2.5e1, true, false, null, {"b": []}], "c": {} } "#)
        #expect(
            value
                == .object([
                    "a": .array([
                        .number(1), .number(-25), .bool(true), .bool(false), .null, .object(["b": .array([])]),
                    ]),
                    "c": .object([:]),
                ])
        )
    }

    @Test(
        "string escapes decode",
        arguments: [
            (#""plain""#, "plain"),
            (#""q\"b\\s\/""#, "q\"b\\s/"),
            (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\ud83d\ude00""#, "😀"),
            (#""\uD834\uDD1E clef""#, "𝄞 clef"),
            (#""\u0000""#, "\u{0}"),
            ("\"héllo 😀\"", "héllo 😀"),
        ]
    )
    func escapes(json: String, expected: String) throws {
        #expect(try Self.parse(json) == .string(expected))
    }

    @Test(
        "numbers parse exactly",
        arguments: [
            ("0", 0.0), ("-0", -0.0), ("32.5", 32.5), ("0.05", 0.05), ("0.10", 0.1), ("1e3", 1000), ("1E+3", 1000),
            ("12.5e-1", 1.25), ("123456789012345678901234567890", 1.2345678901234568e29),
            ("0.1234567890123456789012", 0.12345678901234568), ("1e-400", 0), ("4.9e-324", .leastNonzeroMagnitude),
            ("9007199254740993", 9_007_199_254_740_992),
        ] as [(String, Double)]
    )
    func numbers(text: String, expected: Double) throws {
        #expect(try Self.parse(text) == .number(expected))
    }

    @Test("integers are recognised only when exact")
    func integers() throws {
        func integer(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBytes { buffer in
                var reader = JSONReader(buffer)
                guard let token = try? reader.readNumber() else { return nil }
                return reader.integer(token)
            }
        }
        #expect(integer("42") == 42)
        #expect(integer("-9223372036854775808") == .min)
        #expect(integer("9223372036854775807") == .max)
        #expect(integer("9223372036854775808") == nil)
        #expect(integer("2.0") == 2)
        #expect(integer("2e2") == 200)
        #expect(integer("2.5") == nil)
        #expect(integer("1e300") == nil)
    }

    @Test(
        "malformed documents are refused with a position",
        arguments: [
            ("", "unexpected end of input"),
            ("{", "unexpected end of input inside an object"),
            ("{\"a\" 1}", "expected ':'"),
            ("{\"a\":1,}", "expected a string key"),
            ("{\"a\":1 \"b\":2}", "expected ',' or '}'"),
            ("[1,]", "unexpected character ']'"),
            ("[1 2]", "expected ',' or ']'"),
            ("{a:1}", "expected a string key"),
            ("'x'", "unexpected character"),
            ("\"abc", "unterminated string"),
            ("\"a\u{01}b\"", "unescaped control character"),
            (#""\x""#, "invalid escape"),
            (#""\u12""#, #"truncated \u escape"#),
            (#""\u12G4""#, #"invalid \u escape"#),
            (#""\ud83d""#, "unpaired UTF-16 surrogate"),
            (#""\ude00""#, "unpaired UTF-16 surrogate"),
            (#""\ud83d\u0041""#, "unpaired UTF-16 surrogate"),
            ("01", "leading zero"),
            ("1.", "no digit after '.'"),
            ("1e", "no digit in its exponent"),
            ("-", "invalid number"),
            ("+1", "unexpected character '+'"),
            ("tru", "invalid literal"),
            ("nul", "invalid literal"),
            ("{} {}", "after the end of the document"),
            ("NaN", "unexpected character 'N'"),
        ]
    )
    func malformed(text: String, reason: String) {
        let error = #expect(throws: JSONReaderError.self) { try Self.parse(text) }
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test(
        "invalid UTF-8 is refused",
        arguments: [[0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] as [[UInt8]]
    )
    func invalidUTF8(sequence: [UInt8]) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        let error = #expect(throws: JSONReaderError.self) { try Self.parse(bytes: bytes) }
        #expect(error?.reason == "a string is not valid UTF-8")
    }

    @Test("string scanning finds quotes, escapes, control and non-ASCII bytes at every offset")
    func specialsAtEveryOffset() throws {
        for length in 1..<26 {
            for offset in 0..<length {
                let plain = String(repeating: "a", count: length)
                #expect(try Self.parse("\"\(plain)\"") == .string(plain))
                var characters = Array(plain)
                characters[offset] = "é"
                let accented = String(characters)
                #expect(try Self.parse("\"\(accented)\" ") == .string(accented))
                let escaped = String(plain.prefix(offset)) + #"\""# + String(plain.dropFirst(offset))
                #expect(
                    try Self.parse("\"\(escaped)\"")
                        == .string(String(plain.prefix(offset)) + "\"" + plain.dropFirst(offset))
                )
                characters[offset] = "\u{1F}"
                let control = String(characters)
                let error = #expect(throws: JSONReaderError.self) { try Self.parse("\"\(control)\"") }
                #expect(error?.reason == "unescaped control character in a string")
                #expect(error?.offset == 1 + offset)
            }
        }
    }

    @Test("a byte order mark is ignored")
    func byteOrderMark() throws {
        #expect(try Self.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("[true]".utf8)) == .array([.bool(true)]))
    }

    @Test("nesting is limited instead of overflowing the stack")
    func depthLimit() throws {
        let limit = JSONReader.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        _ = try Self.parse(deepest)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = #expect(throws: JSONReaderError.self) { try Self.parse(tooDeep) }
        #expect(error?.reason == "nesting deeper than \(limit) levels")
        // Far deeper input fails the same way when it is only being skipped.
        let hostile = "{\"x\":" + String(repeating: "[", count: 100_000) + "}"
        let skipped = #expect(throws: EventRejection.self) { try InputEventDecoder().decode(hostile) }
        #expect(skipped?.code == .notJSON)
        #expect(skipped?.message.contains("nesting deeper than") == true)
    }

    @Test("keys with escapes still match field names")
    func escapedKeys() throws {
        let json = Fixtures.attendeeJSON.replacingFirst("\"eventId\"", with: #""event\u0049d""#)
        let event = try InputEventDecoder().decode(json)
        #expect(event.eventId == "7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10")
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced (tests build variants of fixtures with it).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
