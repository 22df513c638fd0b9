// MARK: - SandboxFieldValue

/// A stored field value as a test sees it: what the REST API would return for it.
public enum SandboxFieldValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No value.
    case null
    /// A checkbox.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// Text, email, picklist, id and datetime values.
    case string(String)

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array, .object: self = .string(value.serialized())
        }
    }

    /// The text, when the value is text.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number, when the value is a number.
    public var number: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The flag, when the value is a checkbox.
    public var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The value as JSON text would show it.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .number(let number): return JSONValue.format(number)
        case .string(let text): return text
        }
    }

    /// Decodes a plain JSON scalar.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes as a plain JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        }
    }
}
