import SandboxSupport

// MARK: - JSONValue + Text

extension JSONValue {
    // MARK: - Serialising

    /// Compact JSON text.
    func serialized() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += JSONText.number(number)
        case .string(let text): JSONText.writeString(text, into: &out)
        case .array(let items): JSONText.writeArray(items, into: &out) { $0.write(into: &$1) }
        case .object(let pairs): JSONText.writeObject(pairs, into: &out) { $0.write(into: &$1) }
        }
    }

    /// Whole numbers print without a fraction, as Salesforce prints Number(18,0) values
    /// (`SandboxSupport.JSONText.number(_:)`).
    static func format(_ number: Double) -> String {
        JSONText.number(number)
    }

    // MARK: - Parsing

    /// Parses one JSON value (with surrounding whitespace) from UTF-8 bytes.
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var reader = JSONTextReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else {
            throw JSONParseError(offset: reader.index, reason: "unexpected content after the value")
        }
        return value
    }

    /// Parses one JSON value from text.
    static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}
