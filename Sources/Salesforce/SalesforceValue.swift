// MARK: - SalesforceValue

/// A JSON field value as Salesforce sends and receives it: text, numbers, checkboxes, null, and the nested
/// objects and arrays of relationship fields and addresses.
public enum SalesforceValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `null`: clears a field when written.
    case null
    /// A checkbox.
    case bool(Bool)
    /// A whole number (Number(18,0) fits).
    case integer(Int64)
    /// A number with decimals.
    case double(Double)
    /// Text, email, picklist, id, date and datetime values.
    case string(String)
    /// An array.
    case array([SalesforceValue])
    /// An object (a relationship record, an address, `attributes`).
    case object([String: SalesforceValue])

    /// The text, when the value is text.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The flag, when the value is a checkbox.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The number, when the value is a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The value as a CSV cell for Bulk API 2.0: `#N/A` for null (which clears the field), numbers without a
    /// trailing `.0`, `true`/`false` for checkboxes.
    public var csvText: String {
        switch self {
        case .null: "#N/A"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): text
        case .array, .object: description
        }
    }

    /// The value as JSON would write it (text without quotes).
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .integer(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") + "}"
        }
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([SalesforceValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: SalesforceValue].self))
        }
    }

    /// Encodes as plain JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }
}

// MARK: - Literals

extension SalesforceValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    /// A text value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A whole number.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A number with decimals.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A checkbox.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
}
