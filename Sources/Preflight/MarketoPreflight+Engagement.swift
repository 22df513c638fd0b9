internal import Config
internal import LeadModel
internal import Marketo

extension MarketoPreflight {
    // MARK: - Custom activity type

    /// The activity type exists and is approved; it has every attribute the writer sends.
    mutating func checkActivityType() async {
        let names = settings.activityType
        let item = "custom activity type \(names.apiName)"
        let type: MarketoCustomActivityTypeDescription
        do {
            type = try await patiently { try await client.describeCustomActivityType(apiName: names.apiName) }
        } catch {
            let draft = try? await client.describeCustomActivityType(apiName: names.apiName, includingDraft: true)
            if let draft {
                add(
                    item,
                    .fail,
                    "the type is '\(draft.status ?? "draft")', not approved: Marketo refuses activities of it",
                    fix: "approve it in Marketo Admin > Database Management > Marketo Custom Activities > "
                        + "\(names.apiName) > Activity Actions > Approve Activity",
                    blocking: true
                )
            } else {
                add(
                    item,
                    .fail,
                    "Marketo has no approved custom activity type with the API name \(names.apiName) "
                        + "(\(Self.brief(error)))",
                    fix: "create it in Marketo Admin > Database Management > Marketo Custom Activities > New Custom "
                        + "Activity (API name \(names.apiName), primary field entry_id, the fields of "
                        + "docs/crm-setup.md), then approve it; or set tenants[].marketo.activityType.apiName to the "
                        + "type's API name",
                    blocking: true
                )
            }
            return
        }
        add(item, .pass, "approved, id \(type.id), \(type.attributes.count) attributes")
        let present = Set(type.attributes.map(\.apiName))
        var missing = 0
        for (field, attribute) in names.attributes.sorted(by: { $0.key < $1.key }) where !present.contains(attribute) {
            missing += 1
            let isCommandId = field == .commandId
            add(
                "\(item) attribute \(attribute)",
                isCommandId ? .warn : .fail,
                isCommandId
                    ? "the type has no attribute \(attribute): an activity whose call's outcome is unknown (a crash, "
                        + "a lost answer) is read back and matched on what was sent, not exactly on its command id"
                    : "the type has no attribute \(attribute) (\(field.name)): the writer leaves it out of every "
                        + "activity, so the value is lost",
                fix: "add the field \(attribute) (\(Self.marketoType(field))) in Marketo Admin > Database Management > "
                    + "Marketo Custom Activities > \(names.apiName) > Fields > New Field, then approve the type; or "
                    + "map \(field.name) to the right name in tenants[].marketo.activityType.attributes"
            )
        }
        if missing == 0 {
            add("\(item) attributes", .pass, "all \(names.attributes.count) attributes the writer sends")
        }
    }

    // MARK: - Custom object

    /// The custom object is approved, has every field the writer sends, is deduplicated on the configured fields
    /// and links to the lead by id.
    mutating func checkCustomObject() async {
        let names = settings.customObject
        let item = "custom object \(names.apiName)"
        let object: MarketoCustomObjectDescription
        do {
            object = try await patiently { try await client.describeCustomObject(name: names.apiName) }
        } catch {
            if let type = try? await client.describeCustomObjectType(name: names.apiName), !type.isApproved {
                add(
                    item,
                    .fail,
                    "the custom object is '\(type.state ?? "draft")', not approved: records cannot be written",
                    fix: "approve it in Marketo Admin > Marketo Custom Objects > \(names.apiName) > Custom Object "
                        + "Actions > Approve Object",
                    blocking: true
                )
            } else {
                add(
                    item,
                    .fail,
                    "Marketo has no approved custom object with the API name \(names.apiName) (\(Self.brief(error)))",
                    fix: "create it in Marketo Admin > Marketo Custom Objects > New Custom Object (API name "
                        + "\(names.apiName), the fields of docs/crm-setup.md, dedupe fields "
                        + names.dedupeFields.joined(separator: " and ") + ", link field \(names.leadLinkField) to "
                        + "Person Id), then approve it; or set tenants[].marketo.customObject.apiName to its API name",
                    blocking: true
                )
            }
            return
        }
        add(item, .pass, "approved, \(object.fields.count) fields")
        checkFields(of: object, names: names, item: item)
        checkDedupeFields(of: object, names: names, item: item)
        checkLeadLink(of: object, names: names, item: item)
    }

    private mutating func checkFields(
        of object: MarketoCustomObjectDescription,
        names: MarketoCustomObjectNames,
        item: String
    ) {
        let fieldsByName = Dictionary(object.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var sent: [(EngagementField, String)] = [(.entryId, names.entryIdField), (.lead, names.leadLinkField)]
        sent += names.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var problems = 0
        for (field, name) in sent {
            guard let found = fieldsByName[name] else {
                problems += 1
                add(
                    "\(item) field \(name)",
                    .fail,
                    "the object has no field \(name) (\(field.name)): Marketo skips every record with 1006",
                    fix: "add the field \(name) (\(Self.marketoType(field))) in Marketo Admin > Marketo Custom "
                        + "Objects > \(names.apiName) > Fields > New Field, then approve the object; or map "
                        + "\(field.name) to the right name in tenants[].marketo.customObject.fields",
                    blocking: true
                )
                continue
            }
            let expected = Self.marketoType(field)
            if !Self.isCompatible(found.dataType, with: field) {
                problems += 1
                add(
                    "\(item) field \(name)",
                    .fail,
                    "\(name) (\(field.name)) is of type \(found.dataType); LeadSync sends \(expected)",
                    fix: "make \(name) a field of type \(expected) in Marketo Admin > Marketo Custom Objects > "
                        + "\(names.apiName) > Fields"
                )
            }
        }
        if problems == 0 { add("\(item) fields", .pass, "all \(sent.count) fields the writer sends, of their types") }
    }

    private mutating func checkDedupeFields(
        of object: MarketoCustomObjectDescription,
        names: MarketoCustomObjectNames,
        item: String
    ) {
        let found = Set(object.dedupeFields)
        let expected = Set(names.dedupeFields)
        if found == expected {
            add("\(item) dedupe fields", .pass, object.dedupeFields.joined(separator: ", "))
            return
        }
        add(
            "\(item) dedupe fields",
            .fail,
            "the object deduplicates on "
                + (object.dedupeFields.isEmpty
                    ? "nothing"
                    : object.dedupeFields.joined(
                        separator: ", "
                    )) + "; the writer upserts by " + names.dedupeFields.joined(separator: ", "),
            fix: "make " + names.dedupeFields.joined(separator: " and ") + " the object's dedupe fields (Marketo Admin "
                + "> Marketo Custom Objects > \(names.apiName) > Fields: Dedupe; a new object, since dedupe fields "
                + "cannot change after approval), or set tenants[].marketo.customObject.dedupeFields to "
                + object.dedupeFields.joined(separator: ", "),
            blocking: true
        )
    }

    private mutating func checkLeadLink(
        of object: MarketoCustomObjectDescription,
        names: MarketoCustomObjectNames,
        item: String
    ) {
        let link = object.relationships.first { $0.field == names.leadLinkField }
        if let link, link.relatedObject?.lowercased() == "lead", link.relatedField == "id" {
            add("\(item) lead link \(names.leadLinkField)", .pass, "links to the lead's id")
            return
        }
        let found =
            link.map { "\(names.leadLinkField) links to \($0.relatedObject ?? "?").\($0.relatedField ?? "?")" }
            ?? "\(names.leadLinkField) is not a link field"
        add(
            "\(item) lead link \(names.leadLinkField)",
            .fail,
            found + "; the writer stores the lead's id in it",
            fix: "make \(names.leadLinkField) a Link field to Person, field Id (Marketo Admin > Marketo Custom "
                + "Objects > \(names.apiName) > Fields > New Field, type Link), or set "
                + "tenants[].marketo.customObject.fields.lead to the object's link field",
            blocking: true
        )
    }

    // MARK: - Types

    /// The Marketo data type LeadSync sends a field as.
    static func marketoType(_ field: EngagementField) -> String {
        switch field {
        case .channelId: "Integer"
        case .lead: "Link to Person Id"
        case .email: "Email"
        case .metric(let metric): metric.kind == .count ? "Integer" : "Float"
        default: "String"
        }
    }

    /// Whether a field's Marketo data type takes what LeadSync sends.
    static func isCompatible(_ dataType: String, with field: EngagementField) -> Bool {
        let type = dataType.lowercased()
        switch field {
        case .channelId: return type == "integer"
        case .lead: return type == "link" || type == "integer"
        case .email: return type == "email" || type == "string" || type == "text"
        case .metric(let metric):
            return metric.kind == .count ? ["integer", "float", "currency"].contains(type) : type == "float"
        default: return type == "string" || type == "text"
        }
    }

    /// The first line of an error, for a check's detail.
    static func brief(_ error: any Error) -> String {
        if let error = error as? MarketoError { return "\(error.resultCode): \(error.message)" }
        return "\(error)"
    }
}
