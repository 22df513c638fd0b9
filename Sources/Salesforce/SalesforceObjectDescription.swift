// MARK: - SalesforceObjectDescription

/// An sObject's describe (`GET /sobjects/{type}/describe`): what the writer's preflight checks of it.
public struct SalesforceObjectDescription: Sendable, Hashable, Decodable {
    /// One field.
    public struct Field: Sendable, Hashable, Decodable {
        /// The API name.
        public var name: String
        /// `string`, `email`, `double`, `int`, `reference`, `picklist`, `id`, `boolean`, `datetime`, …
        public var type: String
        /// Maximum characters of text fields (0 for others).
        public var length: Int?
        /// Total digits of numbers.
        public var precision: Int?
        /// Digits after the decimal point.
        public var scale: Int?
        /// Whether it is an External ID.
        public var externalId: Bool?
        /// Whether two records may not share a value.
        public var unique: Bool?
        /// Whether uniqueness compares case.
        public var caseSensitive: Bool?
        /// The objects a lookup points to.
        public var referenceTo: [String]?

        /// Creates a field.
        public init(
            name: String,
            type: String,
            length: Int? = nil,
            precision: Int? = nil,
            scale: Int? = nil,
            externalId: Bool? = nil,
            unique: Bool? = nil,
            caseSensitive: Bool? = nil,
            referenceTo: [String]? = nil
        ) {
            self.name = name
            self.type = type
            self.length = length
            self.precision = precision
            self.scale = scale
            self.externalId = externalId
            self.unique = unique
            self.caseSensitive = caseSensitive
            self.referenceTo = referenceTo
        }
    }

    /// The object's API name.
    public var name: String
    /// Its fields.
    public var fields: [Field]

    /// Creates a description.
    public init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// The field of that name (Salesforce names compare without case).
    public func field(_ name: String) -> Field? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }
    }
}
