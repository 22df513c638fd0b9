// MARK: - JSONValue + TokenName

extension JSONValue {
    /// The Jackson token name Salesforce's JSON parser errors use.
    var jsonTokenName: String {
        switch self {
        case .null: return "VALUE_NULL"
        case .bool(let flag): return flag ? "VALUE_TRUE" : "VALUE_FALSE"
        case .number: return "VALUE_NUMBER_FLOAT"
        case .string: return "VALUE_STRING"
        case .array: return "START_ARRAY"
        case .object: return "START_OBJECT"
        }
    }
}
