import Foundation

/// Checks and converts an API value for a field of a given Marketo data type.
enum FieldValidation {
    /// The stored value, or nil when the value does not fit the type (1001).
    static func convert(_ value: JSONValue, dataType: String) -> SandboxValue? {
        if value.isNull { return .null }
        switch dataType {
        case "integer":
            if case .bool = value { return nil }
            return value.intValue.map(SandboxValue.int)
        case "float", "currency":
            switch value {
            case .int(let i): return .double(Double(i))
            case .double(let d): return .double(d)
            case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).map(SandboxValue.double)
            default: return nil
            }
        case "boolean":
            switch value {
            case .bool(let b): return .bool(b)
            case .int(let i) where i == 0 || i == 1: return .bool(i == 1)
            case .string(let s):
                switch s.lowercased() {
                case "true", "1", "yes": return .bool(true)
                case "false", "0", "no": return .bool(false)
                default: return nil
                }
            default: return nil
            }
        case "email":
            guard case .string(let s) = value else { return nil }
            if s.isEmpty { return .null }
            return isEmail(s) ? .string(s) : nil
        case "datetime":
            guard case .string(let s) = value else { return nil }
            if s.isEmpty { return .null }
            return MarketoStore.parseDate(s).map { .string(MarketoStore.iso($0)) }
        case "date":
            guard case .string(let s) = value else { return nil }
            if s.isEmpty { return .null }
            return MarketoStore.parseDate(s) != nil || isDay(s) ? .string(String(s.prefix(10))) : nil
        case "link":
            switch value {
            case .int(let i): return .int(i)
            case .string(let s): return s.isEmpty ? .null : .string(s)
            default: return nil
            }
        default:  // string, text, phone, url, reference
            switch value {
            case .string(let s): return s.isEmpty ? .null : .string(s)
            case .int, .double, .bool: return .string(value.scalarText)
            default: return nil
            }
        }
    }

    /// Converts CSV cell text (bulk import) for a field.
    static func convert(cell: String, dataType: String) -> SandboxValue? {
        if cell.isEmpty { return .null }
        switch dataType {
        case "integer", "float", "currency", "boolean", "link":
            if let i = Int(cell) { return convert(.int(i), dataType: dataType) }
            if let d = Double(cell) { return convert(.double(d), dataType: dataType) }
            return convert(.string(cell), dataType: dataType)
        default:
            return convert(.string(cell), dataType: dataType)
        }
    }

    /// ASCII, one `@`, a dot in the domain, no spaces (Marketo requires ASCII emails).
    static func isEmail(_ s: String) -> Bool {
        guard s.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return false }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return false }
        return true
    }

    private static func isDay(_ s: String) -> Bool {
        let parts = s.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts.allSatisfy { Int($0) != nil }
    }

    /// `Invalid value 'x'. Required of type 'integer'`
    static func invalidValueMessage(_ value: JSONValue, _ dataType: String) -> String {
        "Invalid value '\(value.scalarText)'. Required of type '\(dataType)'"
    }
}
