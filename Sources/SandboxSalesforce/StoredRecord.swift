// MARK: - StoredRecord

/// One record as the sandbox keeps it: values under their canonical field names, ids in 18-character form.
struct StoredRecord: Sendable {
    var type: String
    /// The 15-character id the store is keyed by.
    var id15: String
    var fields: [String: JSONValue]
    /// Creation order, for stable listings.
    var sequence: Int

    var id18: String { id15 + SalesforceId.checksum(of: id15) }

    subscript(field: String) -> JSONValue {
        fields[field] ?? .null
    }
}
