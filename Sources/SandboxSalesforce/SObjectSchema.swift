// MARK: - SObjectSchema

/// An sObject type: its key prefix and fields, looked up case-insensitively as Salesforce does.
struct SObjectSchema: Sendable {
    var name: String
    var keyPrefix: String
    var fields: [FieldSchema]
    /// Whether the API may create records of this type.
    var createable: Bool
    private var positions: [String: Int]

    init(name: String, keyPrefix: String, fields: [FieldSchema], createable: Bool = true) {
        self.name = name
        self.keyPrefix = keyPrefix
        self.fields = fields
        self.createable = createable
        var positions: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            positions[field.name.lowercased()] = index
        }
        self.positions = positions
    }

    /// The field named `name`, compared case-insensitively.
    func field(_ name: String) -> FieldSchema? {
        positions[name.lowercased()].map { fields[$0] }
    }

    // MARK: - Catalogue

    /// Every sObject type of an org: the standard objects the writer touches plus the org's custom objects.
    static func catalog(for org: SalesforceSandboxSetup.Org) -> [String: SObjectSchema] {
        let system: [FieldSchema] = [
            .readOnly("IsDeleted", .boolean),
            .readOnly("CreatedDate", .dateTime),
            .readOnly("LastModifiedDate", .dateTime),
        ]
        let lead = SObjectSchema(
            name: "Lead",
            keyPrefix: "00Q",
            fields: [
                .readOnly("Id", .id),
                FieldSchema("FirstName", .string(length: 40)),
                FieldSchema("LastName", .string(length: 80), requiredOnCreate: true),
                FieldSchema("Company", .string(length: 255), requiredOnCreate: true),
                FieldSchema("Email", .email, indexed: true),
                FieldSchema("Title", .string(length: 128)),
                FieldSchema("Phone", .string(length: 40)),
                // The standard address fields (a real Lead has them; the default profile mapping sends Country).
                FieldSchema("Street", .string(length: 255)),
                FieldSchema("City", .string(length: 40)),
                FieldSchema("State", .string(length: 80)),
                FieldSchema("PostalCode", .string(length: 20)),
                FieldSchema("Country", .string(length: 80)),
                FieldSchema("Industry", .picklist(length: 255)),
                FieldSchema("LeadSource", .picklist(length: 255)),
                FieldSchema("Status", .picklist(length: 255)),
                .readOnly("IsConverted", .boolean),
                .readOnly("ConvertedContactId", .reference(to: "Contact")),
            ] + system
        )
        let contact = SObjectSchema(
            name: "Contact",
            keyPrefix: "003",
            fields: [
                .readOnly("Id", .id),
                FieldSchema("FirstName", .string(length: 40)),
                FieldSchema("LastName", .string(length: 80), requiredOnCreate: true),
                FieldSchema("Email", .email, indexed: true),
                FieldSchema("Title", .string(length: 128)),
                FieldSchema("Phone", .string(length: 40)),
            ] + system
        )
        let campaign = SObjectSchema(
            name: "Campaign",
            keyPrefix: "701",
            fields: [
                .readOnly("Id", .id),
                FieldSchema("Name", .string(length: 80), requiredOnCreate: true),
                FieldSchema("IsActive", .boolean),
            ] + system
        )
        let memberStatus = SObjectSchema(
            name: "CampaignMemberStatus",
            keyPrefix: "01Y",
            fields: [
                .readOnly("Id", .id),
                FieldSchema("CampaignId", .reference(to: "Campaign"), updateable: false, indexed: true),
                FieldSchema("Label", .string(length: 765), requiredOnCreate: true),
                FieldSchema("IsDefault", .boolean),
                FieldSchema("HasResponded", .boolean),
                FieldSchema("SortOrder", .number(precision: 9, scale: 0)),
            ] + system,
            createable: false
        )
        let memberCustom = org.campaignMemberFields.map(FieldSchema.init(custom:))
        let member = SObjectSchema(
            name: "CampaignMember",
            keyPrefix: "00v",
            fields: [
                .readOnly("Id", .id),
                FieldSchema("CampaignId", .reference(to: "Campaign"), updateable: false, indexed: true),
                FieldSchema("LeadId", .reference(to: "Lead"), updateable: false, indexed: true),
                FieldSchema("ContactId", .reference(to: "Contact"), updateable: false, indexed: true),
                FieldSchema("Status", .picklist(length: 40)),
                .readOnly("HasResponded", .boolean),
            ] + memberCustom + system
        )
        var catalog: [String: SObjectSchema] = [:]
        for schema in [lead, contact, campaign, memberStatus, member] {
            catalog[schema.name.lowercased()] = schema
        }
        for object in org.customObjects {
            let schema = SObjectSchema(
                name: object.name,
                keyPrefix: object.keyPrefix,
                fields: [.readOnly("Id", .id), .readOnly("Name", .autoNumber)]
                    + object.fields.map(FieldSchema.init(custom:)) + system
            )
            catalog[schema.name.lowercased()] = schema
        }
        return catalog
    }
}
