/// A lead field from Describe Lead (`GET /rest/v1/leads/describe.json`).
public struct MarketoLeadField: Sendable, Hashable, Decodable {
    /// The REST API name (`rest.name`), used in Sync Leads and as filter type.
    public var name: String
    /// The name shown in Marketo.
    public var displayName: String
    /// `string`, `email`, `integer`, `float`, `datetime`, …
    public var dataType: String
    /// The maximum length of string fields.
    public var length: Int?
    /// Whether the REST API refuses to write it.
    public var isReadOnly: Bool

    /// Creates a field.
    public init(name: String, displayName: String, dataType: String, length: Int?, isReadOnly: Bool) {
        self.name = name
        self.displayName = displayName
        self.dataType = dataType
        self.length = length
        self.isReadOnly = isReadOnly
    }

    private enum CodingKeys: String, CodingKey {
        case name, displayName, dataType, length, rest, updateable
    }

    private struct RESTName: Decodable {
        var name: String?
        var readOnly: Bool?
    }

    /// Decodes `{displayName, dataType, length, rest:{name, readOnly}}`, or describe2's
    /// `{name, displayName, dataType, length, updateable}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rest = try? container.decodeIfPresent(RESTName.self, forKey: .rest)
        guard let name = rest?.name ?? (try? container.decodeIfPresent(String.self, forKey: .name)) else {
            throw DecodingError.keyNotFound(
                CodingKeys.rest,
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "no rest.name or name")
            )
        }
        self.name = name
        displayName = (try? container.decodeIfPresent(String.self, forKey: .displayName)) ?? name
        dataType = (try? container.decodeIfPresent(String.self, forKey: .dataType)) ?? "string"
        length = try? container.decodeIfPresent(Int.self, forKey: .length)
        if let readOnly = rest?.readOnly {
            isReadOnly = readOnly
        } else {
            isReadOnly = !((try? container.decodeIfPresent(Bool.self, forKey: .updateable)) ?? true)
        }
    }
}
