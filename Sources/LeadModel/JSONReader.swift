// MARK: - JSONReader

/// A syntax error in a JSON document, with the byte offset where it was found.
struct JSONReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset from the start of the document.
    var offset: Int
    /// What was wrong there.
    var reason: String

    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// The JSON type of the next value, for precise "wrong type" messages.
enum JSONValueKind: Sendable, Hashable, CustomStringConvertible {
    case object, array, string, number, boolean, null

    var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .boolean: "a boolean"
        case .null: "null"
        }
    }
}

/// A string in the document, not yet turned into a `String` (keys are matched without allocating).
struct JSONStringToken: Sendable {
    /// First byte after the opening quote.
    var start: Int
    /// The closing quote.
    var end: Int
    /// Whether the raw bytes contain a backslash escape (then they must be decoded before use).
    var hasEscapes: Bool
}

/// A number in the document: its exact text plus a fast decomposition.
struct JSONNumberToken: Sendable {
    var start: Int
    var end: Int
    /// Up to 19 significant digits as an integer (exact when `isMantissaExact`).
    var mantissa: UInt64
    /// Power of ten to apply to `mantissa`.
    var exponent: Int
    var isNegative: Bool
    var isMantissaExact: Bool
    /// No fraction and no exponent in the text.
    var isPlainInteger: Bool
}

/// A forward-only, allocation-light reader of one JSON document (RFC 8259) over UTF-8 bytes.
///
/// It is the event and command decoders' parser: callers walk objects key by key and either read a value of the
/// type they expect or skip it. It validates everything it passes over, skipped values included: structure,
/// string escapes (`\uXXXX` with surrogate pairs; an unpaired surrogate is an error), UTF-8, control characters,
/// the number grammar, and nesting up to ``maximumDepth`` (deeper input is refused, never a stack overflow).
/// The bytes must outlive the reader; it is meant to live inside one `withUnsafeBytes` scope.
struct JSONReader {
    /// Objects and arrays nested deeper than this are refused.
    static let maximumDepth = 64

    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // A UTF-8 byte order mark is tolerated (RFC 8259 lets parsers ignore it).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
        }
    }

    // MARK: - Structure

    private func error(_ reason: String, at offset: Int? = nil) -> JSONReaderError {
        JSONReaderError(offset: offset ?? position, reason: reason)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        var position = self.position
        let count = bytes.count
        while position < count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default:
                self.position = position
                return
            }
        }
        self.position = position
    }

    /// The kind of the next value (after whitespace), without consuming it.
    mutating func peekKind() throws(JSONReaderError) -> JSONValueKind {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character \(Self.describe(bytes[position])), expected a value")
        }
    }

    /// Requires that only whitespace is left.
    mutating func finish() throws(JSONReaderError) {
        skipWhitespace()
        guard position == bytes.count else {
            throw error("unexpected \(Self.describe(bytes[position])) after the end of the document")
        }
    }

    /// Consumes `{`.
    mutating func beginObject() throws(JSONReaderError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw error("expected '{'") }
        try enter()
        position += 1
    }

    /// The next key of the current object with its `:` consumed, or `nil` after consuming the closing `}`.
    /// - Parameter isFirst: `true` right after ``beginObject()``, `false` after a member's value.
    mutating func nextKey(isFirst: Bool) throws(JSONReaderError) -> JSONStringToken? {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input inside an object") }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return nil
        }
        if !isFirst {
            guard bytes[position] == UInt8(ascii: ",") else {
                throw error("expected ',' or '}' after an object member, found \(Self.describe(bytes[position]))")
            }
            position += 1
            skipWhitespace()
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw error("expected a string key in an object")
        }
        let key = try scanString()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw error("expected ':' after an object key")
        }
        position += 1
        return key
    }

    /// Consumes `[`.
    mutating func beginArray() throws(JSONReaderError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { throw error("expected '['") }
        try enter()
        position += 1
    }

    /// Whether another element follows (its leading `,` consumed); `false` after consuming the closing `]`.
    mutating func hasNextElement(isFirst: Bool) throws(JSONReaderError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input inside an array") }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return false
        }
        if !isFirst {
            guard bytes[position] == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' after an array element, found \(Self.describe(bytes[position]))")
            }
            position += 1
        }
        return true
    }

    private mutating func enter() throws(JSONReaderError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw error("nesting deeper than \(Self.maximumDepth) levels")
        }
    }

    /// Skips one value of any kind, validating it.
    mutating func skipValue() throws(JSONReaderError) {
        switch try peekKind() {
        case .object:
            try beginObject()
            var isFirst = true
            while try nextKey(isFirst: isFirst) != nil {
                isFirst = false
                try skipValue()
            }
        case .array:
            try beginArray()
            var isFirst = true
            while try hasNextElement(isFirst: isFirst) {
                isFirst = false
                try skipValue()
            }
        case .string:
            _ = try scanString()
        case .number:
            _ = try readNumber()
        case .boolean:
            _ = try readBool()
        case .null:
            try readNull()
        }
    }

    // MARK: - Literals

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONReaderError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw error("invalid literal, expected '\(literal)'") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            throw error("invalid literal, expected '\(literal)'")
        }
        position += count
    }

    /// Consumes `true` or `false`.
    mutating func readBool() throws(JSONReaderError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of input, expected a boolean") }
        if bytes[position] == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Consumes `null`.
    mutating func readNull() throws(JSONReaderError) {
        skipWhitespace()
        try expectLiteral("null")
    }

    // MARK: - Strings

    /// Consumes a string (the reader is at its opening quote after whitespace) and returns where its bytes are.
    mutating func scanString() throws(JSONReaderError) -> JSONStringToken {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
        position += 1
        let start = position
        var hasEscapes = false
        var isASCII = true
        let count = bytes.count
        var position = self.position  // a local, so the loop does not write `self` back on every byte
        defer { self.position = position }
        while true {
            // Skip 8 bytes at a time up to the first that is '"', '\\', a control character or non-ASCII. The bit
            // tricks may also flag bytes after a special one (borrows) but never before it, so the lowest flag
            // is exact.
            if let base = bytes.baseAddress {
                while count - position >= 8 {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                    let ones: UInt64 = 0x0101_0101_0101_0101
                    let quote = word ^ (ones &* 0x22)
                    let backslash = word ^ (ones &* 0x5C)
                    let special =
                        (word | ((word &- ones &* 0x20) & ~word) | ((quote &- ones) & ~quote)
                            | ((backslash &- ones) & ~backslash)) & 0x8080_8080_8080_8080
                    if special != 0 {
                        position += special.trailingZeroBitCount / 8
                        break
                    }
                    position += 8
                }
            }
            guard position < count else {
                self.position = position
                throw error("unterminated string", at: start - 1)
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
                self.position = position
                guard position < count else { throw error("unterminated string", at: start - 1) }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    // Hex digits are checked here; surrogate pairing when the string is decoded.
                    guard count - position > 4 else { throw error("truncated \\u escape") }
                    for offset in 1...4 where Self.hexValue(bytes[position + offset]) == nil {
                        throw error("invalid \\u escape")
                    }
                    position += 5
                default:
                    throw error("invalid escape \\\(Self.describe(bytes[position]))")
                }
            } else if byte < 0x20 {
                self.position = position
                throw error("unescaped control character in a string")
            } else {
                if byte >= 0x80 { isASCII = false }
                position += 1
            }
        }
        let end = position
        position += 1
        self.position = position
        if !isASCII, !Self.isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) {
            throw error("a string is not valid UTF-8", at: start)
        }
        let token = JSONStringToken(start: start, end: end, hasEscapes: hasEscapes)
        if hasEscapes {
            // Validate surrogate pairing now so that a skipped string is as strictly checked as a read one.
            _ = try decodeEscapes(token)
        }
        return token
    }

    /// Consumes a string and returns it.
    mutating func readString() throws(JSONReaderError) -> String {
        let token = try scanString()
        return try string(token)
    }

    /// The `String` of a scanned token.
    func string(_ token: JSONStringToken) throws(JSONReaderError) -> String {
        if !token.hasEscapes {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        }
        let decoded = try decodeEscapes(token)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The raw (unescaped-free) bytes of a token; callers use it only when `hasEscapes` is false.
    func rawBytes(_ token: JSONStringToken) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end])
    }

    /// Whether a string token equals an ASCII literal (keys are compared without allocating).
    func matches(_ token: JSONStringToken, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        if token.hasEscapes {
            guard let decoded = try? decodeEscapes(token), decoded.count == count else { return false }
            let start = literal.utf8Start
            for index in 0..<count where decoded[index] != start[index] { return false }
            return true
        }
        guard token.end - token.start == count, let base = bytes.baseAddress else { return false }
        let candidate = base + token.start
        let expected = UnsafeRawPointer(literal.utf8Start)
        var index = 0
        while count - index >= 8 {
            guard
                candidate.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    == expected.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < count {
            guard
                candidate.load(fromByteOffset: index, as: UInt8.self)
                    == expected.load(fromByteOffset: index, as: UInt8.self)
            else { return false }
            index += 1
        }
        return true
    }

    private func decodeEscapes(_ token: JSONStringToken) throws(JSONReaderError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(token.end - token.start)
        var index = token.start
        while index < token.end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: index)
                index += 4
                if scalar >= 0xD800, scalar <= 0xDBFF {
                    guard index + 6 <= token.end, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired UTF-16 surrogate in a \\u escape", at: index - 6) }
                    let low = hex4(at: index + 2)
                    guard low >= 0xDC00, low <= 0xDFFF else {
                        throw error("unpaired UTF-16 surrogate in a \\u escape", at: index - 6)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                    throw error("unpaired UTF-16 surrogate in a \\u escape", at: index - 6)
                }
                Self.appendUTF8(scalar, to: &output)
            default: output.append(escape)  // \" \\ \/
            }
        }
        return output
    }

    private func hex4(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt32(Self.hexValue(bytes[index + offset]) ?? 0)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowerBound: UInt8 = 0x80
            var upperBound: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upperBound = 0x9F
            case 0xF0:
                length = 4
                lowerBound = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upperBound = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= lowerBound, second <= upperBound else { return false }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    // MARK: - Numbers

    /// Consumes a number, checking the RFC 8259 grammar.
    mutating func readNumber() throws(JSONReaderError) -> JSONNumberToken {
        skipWhitespace()
        let start = position
        var token = JSONNumberToken(
            start: start,
            end: start,
            mantissa: 0,
            exponent: 0,
            isNegative: false,
            isMantissaExact: true,
            isPlainInteger: true
        )
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            token.isNegative = true
            position += 1
        }
        var significantDigits = 0
        @inline(__always)
        func take(_ digit: UInt8, fractional: Bool) {
            if significantDigits < 19 {
                token.mantissa = token.mantissa &* 10 &+ UInt64(digit)
                if token.mantissa != 0 { significantDigits += 1 }
                if fractional { token.exponent -= 1 }
            } else {
                if digit != 0 { token.isMantissaExact = false }
                if !fractional { token.exponent += 1 }
            }
        }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { throw error("invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, Self.isDigit(bytes[position]) {
                throw error("a number has a leading zero", at: start)
            }
        } else {
            while position < bytes.count, Self.isDigit(bytes[position]) {
                take(bytes[position] - 0x30, fractional: false)
                position += 1
            }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            token.isPlainInteger = false
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else {
                throw error("a number has no digit after '.'", at: start)
            }
            while position < bytes.count, Self.isDigit(bytes[position]) {
                take(bytes[position] - 0x30, fractional: true)
                position += 1
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            token.isPlainInteger = false
            position += 1
            var exponentSign = 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                if bytes[position] == UInt8(ascii: "-") { exponentSign = -1 }
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else {
                throw error("a number has no digit in its exponent", at: start)
            }
            var exponentValue = 0
            while position < bytes.count, Self.isDigit(bytes[position]) {
                // Clamp: beyond this every double is 0 or infinity anyway.
                exponentValue = min(exponentValue * 10 + Int(bytes[position] - 0x30), 100_000)
                position += 1
            }
            token.exponent += exponentSign * exponentValue
        }
        token.end = position
        return token
    }

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// The correctly rounded value of a number (a fast exact path for short numbers, the standard library's
    /// parser otherwise); `nil` when it overflows a double.
    func double(_ token: JSONNumberToken) -> Double? {
        if token.isMantissaExact, token.mantissa < 1 << 53, abs(token.exponent) <= 22 {
            // Both operands are exact doubles, so one IEEE operation rounds correctly (Clinger's fast path).
            let mantissa = Double(token.mantissa)
            let value =
                token.exponent >= 0
                ? mantissa * Self.exactPowersOfTen[token.exponent] : mantissa / Self.exactPowersOfTen[-token.exponent]
            return token.isNegative ? -value : value
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The value of a number when it is an integer that fits `Int64` (`2`, `2.0` and `2e0` all are); `nil` otherwise.
    func integer(_ token: JSONNumberToken) -> Int64? {
        if token.isPlainInteger, token.isMantissaExact, token.exponent == 0 {
            if token.isNegative {
                return token.mantissa <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- token.mantissa) : nil
            }
            return token.mantissa <= UInt64(Int64.max) ? Int64(token.mantissa) : nil
        }
        if token.isPlainInteger {
            return nil  // 20+ digits: out of range
        }
        guard let value = double(token), value.rounded(.towardZero) == value, abs(value) < 9.007_199_254_740_992e15
        else { return nil }
        return Int64(value)
    }

    // MARK: - Helpers

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
