// MARK: - SalesforceRecord

/// An sObject record: its type and its fields by API name. Query results come back as records, and writes
/// take them (the type becomes the record's `attributes.type`).
public struct SalesforceRecord: Sendable, Hashable, Codable {
    /// The sObject type, e.g. `CampaignMember`, `UserSessionEngagement__c`.
    public var type: String
    /// Field values by API name. `attributes` is not a field.
    public var fields: [String: SalesforceValue]

    /// Creates a record.
    public init(type: String, fields: [String: SalesforceValue] = [:]) {
        self.type = type
        self.fields = fields
    }

    /// The value of a field, matched without case as Salesforce does; nil when the record does not carry it.
    public subscript(field: String) -> SalesforceValue? {
        get {
            if let value = fields[field] { return value }
            let lowered = field.lowercased()
            return fields.first { $0.key.lowercased() == lowered }?.value
        }
        set {
            let lowered = field.lowercased()
            if let existing = fields.keys.first(where: { $0.lowercased() == lowered }), existing != field {
                fields[existing] = nil
            }
            fields[field] = newValue
        }
    }

    /// The record id (`Id`), when it has one.
    public var id: String? { self["Id"]?.stringValue }

    private struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Attributes: Codable {
        var type: String
    }

    /// Decodes a record as Salesforce returns it: `{"attributes":{"type":…,"url":…}, fields…}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        var type = ""
        var fields: [String: SalesforceValue] = [:]
        for key in container.allKeys {
            if key.stringValue == "attributes" {
                type = (try? container.decode(Attributes.self, forKey: key).type) ?? ""
            } else {
                fields[key.stringValue] = try container.decode(SalesforceValue.self, forKey: key)
            }
        }
        self.init(type: type, fields: fields)
    }

    /// Encodes the record as Salesforce takes it: `{"attributes":{"type":…}, fields…}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        try container.encode(Attributes(type: type), forKey: FieldKey(stringValue: "attributes"))
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            try container.encode(value, forKey: FieldKey(stringValue: name))
        }
    }
}
