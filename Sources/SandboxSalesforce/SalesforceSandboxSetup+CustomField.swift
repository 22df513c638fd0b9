// MARK: - SalesforceSandboxSetup.CustomField

extension SalesforceSandboxSetup {
    /// A custom field on CampaignMember or on a custom object, with the type and length rules the sandbox
    /// enforces (`STRING_TOO_LONG`, `NUMBER_OUTSIDE_VALID_RANGE`, `INVALID_EMAIL_ADDRESS`, `MALFORMED_ID`, …).
    public struct CustomField: Codable, Sendable, Equatable {
        /// The field types the sandbox models.
        public enum Kind: String, Codable, Sendable, Equatable {
            /// Text(length).
            case text
            /// Email (80 characters, syntax checked).
            case email
            /// Number(precision, scale).
            case number
            /// Lookup(referenceTo): an 18-character id of an existing record of that object.
            case lookup
            /// Checkbox (boolean).
            case checkbox
        }

        /// The API name, e.g. `entry_id__c`.
        public var name: String
        /// The type.
        public var kind: Kind
        /// Maximum characters for text (ignored for other kinds).
        public var length: Int?
        /// Total digits for numbers.
        public var precision: Int?
        /// Digits after the decimal point for numbers.
        public var scale: Int?
        /// The object a lookup points to.
        public var referenceTo: String?
        /// Whether a create without a value fails with `REQUIRED_FIELD_MISSING`.
        public var required: Bool
        /// Whether two records may not share a value (`DUPLICATE_VALUE`).
        public var unique: Bool
        /// Whether uniqueness and matching compare case (false: case-insensitive).
        public var caseSensitive: Bool
        /// Whether the field is an External ID (usable for upserts).
        public var externalId: Bool

        /// Creates a custom field.
        public init(
            name: String,
            kind: Kind,
            length: Int? = nil,
            precision: Int? = nil,
            scale: Int? = nil,
            referenceTo: String? = nil,
            required: Bool = false,
            unique: Bool = false,
            caseSensitive: Bool = false,
            externalId: Bool = false
        ) {
            self.name = name
            self.kind = kind
            self.length = length
            self.precision = precision
            self.scale = scale
            self.referenceTo = referenceTo
            self.required = required
            self.unique = unique
            self.caseSensitive = caseSensitive
            self.externalId = externalId
        }

        private enum CodingKeys: String, CodingKey {
            case name, kind, length, precision, scale, referenceTo, required, unique, caseSensitive, externalId
        }

        /// Decodes a field; flags default to false.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                name: try c.decode(String.self, forKey: .name),
                kind: try c.decode(Kind.self, forKey: .kind),
                length: try c.decodeIfPresent(Int.self, forKey: .length),
                precision: try c.decodeIfPresent(Int.self, forKey: .precision),
                scale: try c.decodeIfPresent(Int.self, forKey: .scale),
                referenceTo: try c.decodeIfPresent(String.self, forKey: .referenceTo),
                required: try c.decodeIfPresent(Bool.self, forKey: .required) ?? false,
                unique: try c.decodeIfPresent(Bool.self, forKey: .unique) ?? false,
                caseSensitive: try c.decodeIfPresent(Bool.self, forKey: .caseSensitive) ?? false,
                externalId: try c.decodeIfPresent(Bool.self, forKey: .externalId) ?? false
            )
        }

        // MARK: - Shorthands

        /// Text(length).
        public static func text(_ name: String, length: Int) -> CustomField {
            CustomField(name: name, kind: .text, length: length)
        }

        /// Number(precision, scale).
        public static func number(_ name: String, precision: Int, scale: Int) -> CustomField {
            CustomField(name: name, kind: .number, precision: precision, scale: scale)
        }

        /// The CampaignMember field `external_id__c` as docs/crm-setup.md defines it: Text(50..200), required,
        /// unique case-insensitive, External ID. It holds `{campaignId}_{leadId}`.
        /// - Parameter length: The text length chosen at setup, 50 to 200.
        public static func campaignMemberExternalId(length: Int = 50) -> CustomField {
            CustomField(
                name: "external_id__c",
                kind: .text,
                length: min(max(length, 50), 200),
                required: true,
                unique: true,
                caseSensitive: false,
                externalId: true
            )
        }

        /// The `UserSessionEngagement__c` External ID the LeadSync Salesforce writer upserts by (its setup note
        /// asks the org admin for it): `engagement_key__c` Text(120), unique case-insensitive, External ID, not
        /// required. It holds `{campaignId}_{personId}_{entryId}`.
        /// - Parameter name: The field's API name.
        public static func engagementKey(name: String = "engagement_key__c") -> CustomField {
            CustomField(name: name, kind: .text, length: 120, unique: true, caseSensitive: false, externalId: true)
        }
    }
}
