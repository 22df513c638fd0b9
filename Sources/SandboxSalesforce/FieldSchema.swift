// MARK: - FieldSchema

/// One field of an sObject as the sandbox enforces it: type and length, who may write it, and whether it is
/// unique or an External ID.
struct FieldSchema: Sendable {
    enum Kind: Sendable, Equatable {
        case id
        case string(length: Int)
        case picklist(length: Int)
        case email
        case number(precision: Int, scale: Int)
        case boolean
        case reference(to: String)
        case dateTime
        case autoNumber
    }

    var name: String
    var kind: Kind
    var createable: Bool
    var updateable: Bool
    var requiredOnCreate: Bool
    var unique: Bool
    var caseSensitive: Bool
    var externalId: Bool
    /// Whether the sandbox keeps a value index for it (unique and External ID fields, and the lookup keys the
    /// writer queries by: Email, CampaignId).
    var indexed: Bool

    init(
        _ name: String,
        _ kind: Kind,
        createable: Bool = true,
        updateable: Bool = true,
        requiredOnCreate: Bool = false,
        unique: Bool = false,
        caseSensitive: Bool = false,
        externalId: Bool = false,
        indexed: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.createable = createable
        self.updateable = updateable
        self.requiredOnCreate = requiredOnCreate
        self.unique = unique
        self.caseSensitive = caseSensitive
        self.externalId = externalId
        self.indexed = indexed || unique || externalId
    }

    /// A field nobody writes through the API (system fields, formula-like flags).
    static func readOnly(_ name: String, _ kind: Kind) -> FieldSchema {
        FieldSchema(name, kind, createable: false, updateable: false)
    }

    /// Whether values are compared as ids (15-character canonical form).
    var holdsIds: Bool {
        switch kind {
        case .id, .reference: return true
        default: return false
        }
    }

    /// Whether string comparisons on this field ignore case (SOQL `=`/`IN`, unique checks, upsert matching).
    var comparesCaseInsensitively: Bool {
        switch kind {
        case .string, .picklist, .email, .autoNumber: return !caseSensitive
        default: return false
        }
    }

    /// The key a stored value is indexed and compared under.
    func comparisonKey(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let text):
            if holdsIds { return SalesforceId.canonical15(text) ?? text }
            return comparesCaseInsensitively ? text.lowercased() : text
        case .number(let number): return JSONValue.format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object: return value.serialized()
        }
    }
}
