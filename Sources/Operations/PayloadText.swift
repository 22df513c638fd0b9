/// A record value as a person reads it: JSON indented (field order and every character kept), other UTF-8 text
/// with control characters escaped, anything else as a hex dump.
public enum PayloadText {
    /// The readable form of `bytes`, and what it is (`JSON`, `text`, `binary`).
    public static func render(_ bytes: [UInt8]) -> (kind: String, text: String) {
        if bytes.isEmpty { return ("empty", "") }
        guard let text = String(validating: bytes, as: UTF8.self) else { return ("binary", hexDump(bytes)) }
        if let indented = indentedJSON(text) { return ("JSON", indented) }
        return ("text", escapedText(text))
    }

    /// `text` re-indented by two spaces per level when it is a JSON object or array; `nil` when it does not look
    /// like one (unbalanced brackets or an unterminated string). Tokens are copied unchanged.
    static func indentedJSON(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard let first = trimmed.first, first == "{" || first == "[" else { return nil }
        var output = ""
        var depth = 0
        var inString = false
        var escaped = false
        var previous: Character?
        func newline() { output += "\n" + String(repeating: "  ", count: depth) }
        for character in trimmed {
            if inString {
                output.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                previous = character
                continue
            }
            switch character {
            case " ", "\n", "\r", "\t":
                continue
            case "\"":
                inString = true
                output.append(character)
            case "{", "[":
                depth += 1
                output.append(character)
                newline()
            case "}", "]":
                guard depth > 0 else { return nil }
                depth -= 1
                if previous == "{" || previous == "[" {
                    // An empty object or array stays on one line.
                    output = String(output.dropLast(1 + 2 * (depth + 1)))
                } else {
                    newline()
                }
                output.append(character)
            case ",":
                output.append(character)
                newline()
            case ":":
                output += ": "
            default:
                output.append(character)
            }
            previous = character
        }
        guard depth == 0, !inString else { return nil }
        return output
    }

    private static func escapedText(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" || scalar.value >= 0x20 && scalar.value != 0x7F {
                output.unicodeScalars.append(scalar)
            } else {
                output += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return output
    }

    private static func hexDump(_ bytes: [UInt8]) -> String {
        var lines: [String] = []
        var offset = 0
        while offset < bytes.count {
            let row = bytes[offset..<min(offset + 16, bytes.count)]
            let hex = row.map { hexByte($0) }.joined(separator: " ")
            let ascii = String(row.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
            let position = String(offset, radix: 16)
            lines.append(
                String(repeating: "0", count: max(0, 8 - position.count)) + position + "  "
                    + hex.padding(toLength: 47) + "  " + ascii
            )
            offset += 16
        }
        return lines.joined(separator: "\n")
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }

    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
