// MARK: - SandboxRecord

/// A stored record as a test sees it.
public struct SandboxRecord: Sendable, Hashable, Codable {
    /// The sObject type, e.g. `CampaignMember`.
    public var type: String
    /// The 18-character id.
    public var id: String
    /// Every field of the type under its canonical API name (unset fields are `.null`).
    public var fields: [String: SandboxFieldValue]

    /// The value of a field (case-insensitive name), `.null` when unset or unknown.
    public subscript(field: String) -> SandboxFieldValue {
        if let value = fields[field] { return value }
        let lowered = field.lowercased()
        return fields.first { $0.key.lowercased() == lowered }?.value ?? .null
    }

    init(_ record: StoredRecord) {
        self.type = record.type
        self.id = record.id18
        self.fields = record.fields.mapValues(SandboxFieldValue.init)
    }
}
