internal import Config
internal import LeadModel
internal import Salesforce

extension SalesforcePreflight {
    // MARK: - CampaignMember External ID

    /// The CampaignMember field holding `{campaignId}_{personId}` exists, is an External ID, unique, and long
    /// enough for two 18-character ids.
    mutating func checkMemberExternalId() async {
        let field = settings.campaignMember.externalIdField
        let item = "CampaignMember.\(field)"
        let fix =
            "create it: Setup > Object Manager > Campaign Member > Fields & Relationships > New: Text(50) "
            + "named \(field), Required, Unique (case-insensitive), External ID (docs/crm-setup.md, Salesforce step "
            + "2); or set tenants[].salesforce.campaignMember.externalIdField to the org's field"
        let object: SalesforceObjectDescription
        do {
            let read = { () async throws(SalesforceError) in try await client.describe(object: "CampaignMember") }
            guard let described = try await patiently(read) else {
                add(item, .fail, "the org does not describe CampaignMember", blocking: true)
                return
            }
            object = described
        } catch {
            add(item, .fail, "cannot describe CampaignMember: \(error.description)", blocking: true)
            return
        }
        checkExternalId(object, field: field, item: item, minimumLength: 37, fix: fix)
    }

    /// An External ID field the writer upserts by: present, External ID, unique, text of at least
    /// `minimumLength` characters.
    mutating func checkExternalId(
        _ object: SalesforceObjectDescription,
        field name: String,
        item: String,
        minimumLength: Int,
        fix: String
    ) {
        guard let field = object.field(name) else {
            add(item, .fail, "\(object.name) has no field \(name): every upsert by it fails", fix: fix, blocking: true)
            return
        }
        var problems: [String] = []
        if field.externalId != true { problems.append("it is not an External ID") }
        if field.unique != true { problems.append("it is not unique") }
        if !["string", "email"].contains(field.type.lowercased()) { problems.append("it is of type \(field.type)") }
        guard problems.isEmpty else {
            add(
                item,
                .fail,
                problems.joined(separator: ", ") + ": upserts by it fail",
                fix: "edit the field (Setup > Object Manager > \(object.name) > Fields & Relationships > \(name)): "
                    + "Text, Unique, External ID",
                blocking: true
            )
            return
        }
        if let length = field.length, length < minimumLength {
            add(
                item,
                .fail,
                "Text(\(length)) is shorter than the \(minimumLength) characters of a key; longer keys fail with "
                    + "STRING_TOO_LONG",
                fix: "make it at least Text(\(minimumLength)) in Setup > Object Manager > \(object.name) > Fields & "
                    + "Relationships > \(name) > Edit"
            )
            return
        }
        add(item, .pass, "Text(\(field.length ?? 0)), unique, External ID")
    }

    // MARK: - Engagement object

    /// The engagement object exists with its External ID and every field the writer sends, of a compatible type.
    mutating func checkEngagementObject() async {
        let names = settings.engagement
        let item = "engagement object \(names.object)"
        let object: SalesforceObjectDescription
        do {
            let read = { () async throws(SalesforceError) in try await client.describe(object: names.object) }
            guard let described = try await patiently(read) else {
                add(
                    item,
                    .fail,
                    "the org has no object \(names.object): every engagement record is dead-lettered",
                    fix: "create the custom object \(names.object) with the fields of docs/crm-setup.md (Setup > "
                        + "Object Manager > Create > Custom Object, Salesforce step 3), give the integration user "
                        + "access to it, or set tenants[].salesforce.engagement.object to the org's object",
                    blocking: true
                )
                return
            }
            object = described
        } catch {
            add(item, .fail, "cannot describe \(names.object): \(error.description)", blocking: true)
            return
        }
        add(item, .pass, "\(object.fields.count) fields")
        checkExternalId(
            object,
            field: names.externalIdField,
            item: "\(names.object).\(names.externalIdField)",
            minimumLength: 60,
            fix: "create it: Setup > Object Manager > \(names.object) > Fields & Relationships > New: Text(120) named "
                + "\(names.externalIdField), Unique (case-insensitive), External ID (docs/crm-setup.md, Salesforce "
                + "step 3); or set tenants[].salesforce.engagement.externalIdField to the object's field"
        )
        var problems = 0
        for (field, name) in names.fields.sorted(by: { $0.key < $1.key }) {
            guard let found = object.field(name) else {
                problems += 1
                add(
                    "\(names.object).\(name)",
                    .fail,
                    "\(names.object) has no field \(name) (\(field.name)): Salesforce refuses every record with "
                        + "INVALID_FIELD",
                    fix: "create it: Setup > Object Manager > \(names.object) > Fields & Relationships > New: "
                        + Self.salesforceType(field) + " named \(name); or map \(field.name) to the org's field in "
                        + "tenants[].salesforce.engagement.fields (null stops sending it)",
                    blocking: true
                )
                continue
            }
            if let problem = Self.incompatibility(of: found, with: field) {
                problems += 1
                add(
                    "\(names.object).\(name)",
                    .fail,
                    "\(name) (\(field.name)) \(problem); LeadSync sends \(Self.salesforceType(field))",
                    fix: "make \(name) a \(Self.salesforceType(field)) field (Setup > Object Manager > \(names.object) "
                        + "> Fields & Relationships > \(name) > Change Field Type)"
                )
            }
        }
        if problems == 0 {
            add(
                "\(names.object) fields",
                .pass,
                "all \(names.fields.count) fields the writer sends, of compatible types"
            )
        }
    }

    // MARK: - Types

    /// The field type docs/crm-setup.md gives the field.
    static func salesforceType(_ field: EngagementField) -> String {
        switch field {
        case .campaignMember: "Text(100)"
        case .lead: "Lookup(Lead)"
        case .entryId: "Text(11)"
        case .email: "Email"
        case .channelId: "Number(18, 0)"
        case .metric(let metric): metric.kind == .count ? "Number(18, 0)" : "Number(16, 2)"
        default: "Text(200)"
        }
    }

    /// Why a field's type does not take what LeadSync sends, or nil.
    static func incompatibility(of found: SalesforceObjectDescription.Field, with field: EngagementField) -> String? {
        let type = found.type.lowercased()
        switch field {
        case .lead:
            let targets = found.referenceTo ?? []
            guard type == "reference", targets.contains(where: { $0.lowercased() == "lead" }) else {
                return "is \(found.type)" + (targets.isEmpty ? "" : " to \(targets.joined(separator: ", "))")
            }
        case .channelId, .metric:
            guard ["double", "int", "long", "currency", "percent"].contains(type) else { return "is \(found.type)" }
            if case .metric(let metric) = field, metric.kind != .count, type == "double", (found.scale ?? 0) < 2 {
                return "keeps \(found.scale ?? 0) decimals; values such as 0.25 would be rounded"
            }
        case .email:
            guard ["email", "string", "textarea"].contains(type) else { return "is \(found.type)" }
        default:
            guard ["string", "textarea", "email", "picklist"].contains(type) else { return "is \(found.type)" }
        }
        return nil
    }
}
