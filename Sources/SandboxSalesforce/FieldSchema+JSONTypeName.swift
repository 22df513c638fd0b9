// MARK: - FieldSchema.Kind + JSONTypeName

extension FieldSchema.Kind {
    /// The Java-ish type name Salesforce's JSON parser errors use.
    var jsonTypeName: String {
        switch self {
        case .number: return "double"
        case .boolean: return "boolean"
        default: return "string"
        }
    }
}
