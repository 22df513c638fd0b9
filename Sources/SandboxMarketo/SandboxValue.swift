/// A scalar stored in the sandbox: a lead field, an activity attribute or a custom object field.
///
/// Encodes as the plain JSON scalar, so inspection output reads like the Marketo API.
public enum SandboxValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No value (the field is cleared).
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number (float and currency fields).
    case double(Double)
    /// A string (also emails, phones, dates as RFC 3339 text).
    case string(String)

    /// The string content, or nil for other kinds.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer content (an integral double counts), or nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): i
        case .double(let d) where d.rounded() == d: Int(d)
        default: nil
        }
    }

    /// The numeric content as a double, or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The text a CSV cell shows for this value.
    public var description: String {
        switch self {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): JSONValue.format(d)
        case .string(let s): s
        }
    }

    /// Decodes any JSON scalar.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int.self) {
            self = .int(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes as the plain JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let b): try single.encode(b)
        case .int(let i): try single.encode(i)
        case .double(let d): try single.encode(d)
        case .string(let s): try single.encode(s)
        }
    }

    var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        }
    }
}
