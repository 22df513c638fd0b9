/// A lead as Get Leads returns it: the requested fields that have values (a requested field that is missing is
/// null).
public struct MarketoLead: Sendable, Hashable, Decodable {
    /// The lead's fields by REST name, `id` included.
    public var fields: [String: MarketoFieldValue]

    /// Creates a lead from its fields.
    public init(fields: [String: MarketoFieldValue]) {
        self.fields = fields
    }

    /// The lead's id.
    public var id: Int? { fields["id"]?.intValue }

    /// The lead's email.
    public var email: String? { fields["email"]?.stringValue }

    /// A field's value, nil when Marketo did not return it.
    public subscript(field: String) -> MarketoFieldValue? { fields[field] }

    /// Decodes the JSON object of one lead; members that are not scalars are skipped.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: MarketoLeadMember].self)
        fields = raw.compactMapValues(\.value)
    }
}
