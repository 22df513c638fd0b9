// MARK: - EmailAddress

/// Validation and normalisation of the email addresses that identify leads.
///
/// The check is deliberately pragmatic (what the CRMs accept), not the full RFC 5322 grammar: after trimming whitespace
/// the address must have exactly one `@`; a local part of 1-64 bytes made of letters, digits, the characters of
/// `!#$%&'*+-/=?^_{|}~` and the backtick, and non-ASCII characters, with dots only between characters; a domain of at
/// most 253 bytes with at least two dot-separated labels of 1-63 bytes each, made of letters, digits, hyphens (not at
/// either end of a label) and non-ASCII characters; at most 254 bytes in all. Quoted local parts and IP-literal domains
/// are not accepted.
public enum EmailAddress {
    /// Why an address was refused; the text names the rule, never the local part (emails are personal data).
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        /// The broken rule, e.g. `the address has no '@'`.
        public let reason: String
        /// The reason.
        public var description: String { reason }
    }

    /// Trims and lowercases `email` after validating it.
    /// - Throws: ``Invalid`` naming the rule the address breaks.
    public static func normalize(_ email: String) throws(Invalid) -> String {
        var email = email
        let result = email.withUTF8 { bytes in
            Result { () throws(Invalid) in try normalize(UnsafeRawBufferPointer(bytes)) }
        }
        return try result.get()
    }

    /// Whether `email` is a valid address under the rules above.
    public static func isValid(_ email: String) -> Bool {
        (try? normalize(email)) != nil
    }

    /// Validates and normalises UTF-8 bytes (already known to be valid UTF-8).
    static func normalize(_ raw: UnsafeRawBufferPointer) throws(Invalid) -> String {
        var start = 0
        var end = raw.count
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        let length = end - start
        guard length > 0 else { throw Invalid(reason: "the address is empty") }
        guard length <= 254 else { throw Invalid(reason: "the address is longer than 254 bytes") }

        var at = -1
        var hasUppercase = false
        var isASCII = true
        for index in start..<end {
            let byte = raw[index]
            if byte == UInt8(ascii: "@") {
                guard at < 0 else { throw Invalid(reason: "the address has more than one '@'") }
                at = index
            } else if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                hasUppercase = true
            } else if byte >= 0x80 {
                isASCII = false
            }
        }
        guard at >= 0 else { throw Invalid(reason: "the address has no '@'") }
        try validateLocalPart(raw, from: start, to: at)
        try validateDomain(raw, from: at + 1, to: end)

        let trimmed = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        if isASCII {
            guard hasUppercase else { return String(decoding: trimmed, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: length) { buffer in
                for index in 0..<length {
                    let byte = trimmed[index]
                    buffer[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                }
                return length
            }
        }
        return String(decoding: trimmed, as: UTF8.self).lowercased()
    }

    // MARK: - Rules

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    private static func validateLocalPart(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) throws(Invalid) {
        let length = end - start
        guard length > 0 else { throw Invalid(reason: "the local part before '@' is empty") }
        guard length <= 64 else { throw Invalid(reason: "the local part is longer than 64 bytes") }
        var previousWasDot = true  // a leading dot is refused like a double one
        for index in start..<end {
            let byte = raw[index]
            if byte == UInt8(ascii: ".") {
                guard !previousWasDot else {
                    throw Invalid(reason: "the local part has a leading or doubled '.'")
                }
                previousWasDot = true
                continue
            }
            previousWasDot = false
            if isAlphanumeric(byte) || byte >= 0x80 { continue }
            switch byte {
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
                UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
                UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
                continue
            default:
                throw Invalid(reason: "the local part contains a character that is not allowed")
            }
        }
        guard !previousWasDot else { throw Invalid(reason: "the local part ends with '.'") }
    }

    private static func validateDomain(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) throws(Invalid) {
        let length = end - start
        guard length > 0 else { throw Invalid(reason: "the domain after '@' is empty") }
        guard length <= 253 else { throw Invalid(reason: "the domain is longer than 253 bytes") }
        var labels = 0
        var labelStart = start
        var index = start
        while index <= end {
            if index == end || raw[index] == UInt8(ascii: ".") {
                let labelLength = index - labelStart
                guard labelLength > 0 else { throw Invalid(reason: "the domain has an empty label") }
                guard labelLength <= 63 else { throw Invalid(reason: "a domain label is longer than 63 bytes") }
                guard raw[labelStart] != UInt8(ascii: "-"), raw[index - 1] != UInt8(ascii: "-") else {
                    throw Invalid(reason: "a domain label starts or ends with '-'")
                }
                labels += 1
                labelStart = index + 1
            } else {
                let byte = raw[index]
                guard isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte >= 0x80 else {
                    throw Invalid(reason: "the domain contains a character that is not allowed")
                }
            }
            index += 1
        }
        guard labels >= 2 else { throw Invalid(reason: "the domain has no '.'") }
    }
}
