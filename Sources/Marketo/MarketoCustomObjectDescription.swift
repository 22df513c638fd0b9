/// A custom object's schema (`GET /rest/v1/customobjects/{apiName}/describe.json`).
public struct MarketoCustomObjectDescription: Sendable, Hashable, Decodable {
    /// A field of the object.
    public struct Field: Sendable, Hashable, Decodable {
        /// The API name.
        public var name: String
        /// The display name.
        public var displayName: String?
        /// `string`, `integer`, `float`, `link`, …
        public var dataType: String
        /// Whether it can be written.
        public var updateable: Bool?
        /// The maximum length of string fields.
        public var length: Int?

        /// Creates a field.
        public init(name: String, displayName: String?, dataType: String, updateable: Bool?, length: Int?) {
            self.name = name
            self.displayName = displayName
            self.dataType = dataType
            self.updateable = updateable
            self.length = length
        }
    }

    /// The API name, such as `kalturaUserSessionEngagement`.
    public var name: String
    /// The display name.
    public var displayName: String?
    /// The id field (`marketoGUID`).
    public var idField: String?
    /// The fields that identify a record in `dedupeFields` mode (1 to 3).
    public var dedupeFields: [String]
    /// The fields (or field combinations) a query may filter by.
    public var searchableFields: [[String]]
    /// The fields.
    public var fields: [Field]
    /// The link fields to other objects.
    public var relationships: [Relationship]

    /// A link field: the object stores the related object's key in ``field``.
    public struct Relationship: Sendable, Hashable, Decodable {
        /// The link field of this object, such as `personId`.
        public var field: String
        /// `parent` or `child`.
        public var type: String?
        /// The related object's name (`Lead`).
        public var relatedObject: String?
        /// The related object's field the link holds (`id`).
        public var relatedField: String?

        /// Creates a relationship.
        public init(field: String, type: String?, relatedObject: String?, relatedField: String?) {
            self.field = field
            self.type = type
            self.relatedObject = relatedObject
            self.relatedField = relatedField
        }

        private struct Related: Decodable {
            var name: String?
            var field: String?
        }

        private enum CodingKeys: String, CodingKey {
            case field, type, relatedTo, object
        }

        /// Decodes a relationship; the related object comes as `relatedTo` (or `object` in older examples).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            field = try container.decode(String.self, forKey: .field)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            let related =
                (try? container.decodeIfPresent(Related.self, forKey: .relatedTo))
                ?? (try? container.decodeIfPresent(Related.self, forKey: .object))
            relatedObject = related?.name
            relatedField = related?.field
        }
    }

    /// Creates a description.
    public init(
        name: String,
        displayName: String?,
        idField: String?,
        dedupeFields: [String],
        searchableFields: [[String]],
        fields: [Field],
        relationships: [Relationship] = []
    ) {
        self.name = name
        self.displayName = displayName
        self.idField = idField
        self.dedupeFields = dedupeFields
        self.searchableFields = searchableFields
        self.fields = fields
        self.relationships = relationships
    }

    private enum CodingKeys: String, CodingKey {
        case name, displayName, idField, dedupeFields, searchableFields, fields, relationships
    }

    /// Decodes `result[0]` of the describe call; list members may be missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        displayName = try? container.decodeIfPresent(String.self, forKey: .displayName)
        idField = try? container.decodeIfPresent(String.self, forKey: .idField)
        dedupeFields = (try? container.decodeIfPresent([String].self, forKey: .dedupeFields)) ?? []
        searchableFields = (try? container.decodeIfPresent([[String]].self, forKey: .searchableFields)) ?? []
        fields = (try? container.decodeIfPresent([Field].self, forKey: .fields)) ?? []
        relationships = (try? container.decodeIfPresent([Relationship].self, forKey: .relationships)) ?? []
    }
}
