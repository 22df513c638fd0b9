// MARK: - JSONString

/// JSON string literals, for code that writes JSON text by hand (the log lines, the sandboxes' responses): one
/// escaping for all of them.
public enum JSONString {
    /// Appends `text` to `out` as a JSON string literal: quotes, backslashes and control characters escaped.
    @inlinable
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
