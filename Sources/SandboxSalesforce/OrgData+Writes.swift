import Foundation

// MARK: - OrgData + Writes

extension OrgData {
    /// Creates a record and returns its 18-character id.
    mutating func create(
        _ typeName: String,
        _ body: [(String, JSONValue)],
        context: inout WriteContext
    ) throws(APIErrors) -> String {
        guard let schema = schema(typeName) else { throw APIErrors(Self.invalidType(typeName)) }
        guard schema.createable else {
            throw APIErrors(APIError("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id"))
        }
        var values = try convertBody(body, schema: schema, existing: nil, context: context)
        try applyObjectRules(schema: schema, values: &values, existing: nil, context: &context)
        let missing = schema.fields.filter { $0.requiredOnCreate && (values[$0.name] ?? .null).isNull }.map(\.name)
        if !missing.isEmpty {
            throw APIErrors(Self.requiredMissing(missing))
        }
        let id15 = newId(prefix: schema.keyPrefix)
        try checkUnique(schema: schema, values: values, selfId: id15)
        var fields: [String: JSONValue] = [:]
        for field in schema.fields {
            switch field.kind {
            case .boolean: fields[field.name] = .bool(false)
            default: fields[field.name] = .null
            }
        }
        fields.merge(values) { _, new in new }
        let stamp = JSONValue.string(SalesforceDate.format(context.now))
        fields["Id"] = .string(id15 + SalesforceId.checksum(of: id15))
        fields["CreatedDate"] = stamp
        fields["LastModifiedDate"] = stamp
        fields["IsDeleted"] = .bool(false)
        if schema.field("Name")?.kind == .autoNumber {
            let number = String(nextAutoNumber(schema.name))
            fields["Name"] = .string("E-" + String(repeating: "0", count: max(0, 7 - number.count)) + number)
        }
        if schema.name == "Lead", (fields["Status"] ?? .null).isNull {
            fields["Status"] = .string("Open - Not Contacted")
        }
        if schema.name == "Lead" {
            fields["IsConverted"] = .bool(false)
        }
        if schema.name == "CampaignMember",
            let pair = Self.memberPair(
                StoredRecord(type: schema.name, id15: id15, fields: fields, sequence: 0)
            )
        {
            context.memberPairsAdded.insert(pair)
        }
        put(StoredRecord(type: schema.name, id15: id15, fields: fields, sequence: 0))
        return id15 + SalesforceId.checksum(of: id15)
    }

    /// Updates the record with this id; returns its 18-character id.
    mutating func update(
        _ typeName: String,
        id raw: String,
        _ body: [(String, JSONValue)],
        context: inout WriteContext
    ) throws(APIErrors) -> String {
        guard let schema = schema(typeName) else { throw APIErrors(Self.invalidType(typeName)) }
        guard let id15 = SalesforceId.canonical15(raw), id15.hasPrefix(schema.keyPrefix) else {
            throw APIErrors(APIError("MALFORMED_ID", "malformed id \(raw)", fields: ["Id"]))
        }
        guard let existing = record(schema.name, id15: id15) else {
            throw APIErrors(APIError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", fields: []))
        }
        if schema.name == "Lead", existing["IsConverted"].boolValue == true {
            throw APIErrors(APIError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", fields: []))
        }
        let trimmed = body.filter { pair in
            // An `Id` equal to the target is how collections and upserts name the record, not a change.
            guard pair.0.lowercased() == "id", let sent = pair.1.stringValue else { return true }
            return SalesforceId.canonical15(sent) != id15
        }
        var values = try convertBody(trimmed, schema: schema, existing: existing, context: context)
        try applyObjectRules(schema: schema, values: &values, existing: existing, context: &context)
        let missing = schema.fields.filter {
            $0.requiredOnCreate && values[$0.name].map(\.isNull) == true
        }.map(\.name)
        if !missing.isEmpty {
            throw APIErrors(Self.requiredMissing(missing))
        }
        try checkUnique(schema: schema, values: values, selfId: id15)
        var updated = existing
        updated.fields.merge(values) { _, new in new }
        updated.fields["LastModifiedDate"] = .string(SalesforceDate.format(context.now))
        put(updated)
        return existing.id18
    }

    /// Upserts by an External ID field (or `Id`): creates when nothing matches, updates one match, reports
    /// several matches.
    mutating func upsert(
        _ typeName: String,
        field fieldName: String,
        value: String,
        _ body: [(String, JSONValue)],
        updateOnly: Bool = false,
        context: inout WriteContext
    ) throws(APIErrors) -> UpsertResult {
        guard let schema = schema(typeName) else { throw APIErrors(Self.invalidType(typeName)) }
        if fieldName.lowercased() == "id" {
            guard record(anyId: value) != nil else { throw APIErrors(APIError.notFound()) }
            return .updated(try update(schema.name, id: value, body, context: &context))
        }
        guard let field = schema.field(fieldName), field.externalId else { throw APIErrors(APIError.notFound()) }
        var rest: [(String, JSONValue)] = []
        for pair in body {
            if pair.0.lowercased() == field.name.lowercased() {
                // The body may repeat the key; a different value is a conflict, as in Salesforce.
                if field.comparisonKey(pair.1) != field.comparisonKey(.string(value)) {
                    throw APIErrors(
                        APIError(
                            "INVALID_FIELD",
                            "The value of \(field.name) in the body does not match the value in the URL",
                            fields: [field.name]
                        )
                    )
                }
                continue
            }
            rest.append(pair)
        }
        let key = field.comparisonKey(.string(value)) ?? value
        let matches = (indexedIds(schema.name, field: field.name, key: key) ?? []).sorted()
        switch matches.count {
        case 0:
            if updateOnly { throw APIErrors(APIError.notFound()) }
            return .created(try create(schema.name, rest + [(field.name, .string(value))], context: &context))
        case 1:
            return .updated(try update(schema.name, id: matches[0], rest, context: &context))
        default:
            return .multiple(matches.map { $0 + SalesforceId.checksum(of: $0) })
        }
    }

    // MARK: - Field values

    private func convertBody(
        _ body: [(String, JSONValue)],
        schema: SObjectSchema,
        existing: StoredRecord?,
        context: WriteContext
    ) throws(APIErrors) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        var errors: [APIError] = []
        var notWritable: [String] = []
        for (name, value) in body where name != "attributes" {
            guard let field = schema.field(name) else {
                errors.append(
                    APIError(
                        "INVALID_FIELD",
                        "No such column '\(name)' on sobject of type \(schema.name)",
                        fields: [name]
                    )
                )
                continue
            }
            let writable = existing == nil ? field.createable : field.updateable
            if !writable {
                if let existing, createOnlyPolicy == .ignoreUnchanged, field.createable,
                    field.comparisonKey(existing[field.name]) == field.comparisonKey(value)
                {
                    continue
                }
                notWritable.append(field.name)
                continue
            }
            switch convert(value, field: field, context: context) {
            case .success(let converted): values[field.name] = converted
            case .failure(let error): errors.append(error)
            }
        }
        if !notWritable.isEmpty {
            let names = notWritable.joined(separator: ", ")
            errors.insert(
                APIError(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: \(names). Please check the security settings of this field "
                        + "and verify that it is read/write for your profile or permission set.",
                    fields: notWritable
                ),
                at: 0
            )
        }
        if !errors.isEmpty { throw APIErrors(errors) }
        return values
    }

    private func convert(
        _ raw: JSONValue,
        field: FieldSchema,
        context: WriteContext
    ) -> Result<JSONValue, APIError> {
        var value = raw
        if case .string(let text) = raw, text.isEmpty || (context.fromCSV && text == "#N/A") {
            value = .null
        }
        if value.isNull { return .success(.null) }
        func typeError() -> APIError {
            if context.fromCSV {
                return APIError(
                    "INVALID_TYPE_ON_FIELD_IN_RECORD",
                    "\(field.name): value not of required type: \(value.displayText)",
                    fields: [field.name]
                )
            }
            return APIError(
                "JSON_PARSER_ERROR",
                "Cannot deserialize instance of \(field.kind.jsonTypeName) from \(value.jsonTokenName) value "
                    + "\(value.displayText) or request may be missing a required field"
            )
        }
        switch field.kind {
        case .id, .dateTime, .autoNumber:
            return .failure(typeError())
        case .string(let length), .picklist(let length):
            let text: String
            switch value {
            case .string(let string): text = string
            case .number, .bool: text = value.displayText
            default: return .failure(typeError())
            }
            if text.count > length {
                return .failure(
                    APIError(
                        "STRING_TOO_LONG",
                        "\(field.name): data value too large: \(text) (max length=\(length))",
                        fields: [field.name]
                    )
                )
            }
            return .success(.string(text))
        case .email:
            guard let text = value.stringValue else { return .failure(typeError()) }
            if text.count > 80 {
                return .failure(
                    APIError(
                        "STRING_TOO_LONG",
                        "\(field.name): data value too large: \(text) (max length=80)",
                        fields: [field.name]
                    )
                )
            }
            guard EmailSyntax.isValid(text) else {
                return .failure(
                    APIError(
                        "INVALID_EMAIL_ADDRESS",
                        "\(field.name): invalid email address: \(text)",
                        fields: [field.name]
                    )
                )
            }
            return .success(.string(text))
        case .number(let precision, let scale):
            let number: Double
            switch value {
            case .number(let parsed): number = parsed
            case .string(let text):
                guard let parsed = Double(text.trimmingCharacters(in: .whitespaces)), parsed.isFinite else {
                    return .failure(typeError())
                }
                number = parsed
            default: return .failure(typeError())
            }
            let factor = pow(10.0, Double(scale))
            let rounded = (number * factor).rounded() / factor
            let integerDigits = abs(rounded) < 1 ? 0 : Int(log10(abs(rounded).rounded(.down))) + 1
            if integerDigits > precision - scale {
                return .failure(
                    APIError(
                        "NUMBER_OUTSIDE_VALID_RANGE",
                        "\(field.name): value outside of valid range on numeric field: \(value.displayText)",
                        fields: [field.name]
                    )
                )
            }
            return .success(.number(rounded))
        case .boolean:
            switch value {
            case .bool: return .success(value)
            case .string(let text) where ["true", "false"].contains(text.lowercased()):
                return .success(.bool(text.lowercased() == "true"))
            default: return .failure(typeError())
            }
        case .reference(let target):
            guard let text = value.stringValue else { return .failure(typeError()) }
            let targetPrefix = schema(target)?.keyPrefix ?? ""
            guard let id15 = SalesforceId.canonical15(text), id15.hasPrefix(targetPrefix) else {
                return .failure(
                    APIError(
                        "MALFORMED_ID",
                        "\(target) ID: id value of incorrect type: \(text)",
                        fields: [field.name]
                    )
                )
            }
            if deletedIds.contains(id15) {
                return .failure(APIError("ENTITY_IS_DELETED", "entity is deleted", fields: [field.name]))
            }
            guard record(target, id15: id15) != nil else {
                return .failure(
                    APIError(
                        "INVALID_CROSS_REFERENCE_KEY",
                        "invalid cross reference id",
                        fields: [field.name]
                    )
                )
            }
            return .success(.string(id15 + SalesforceId.checksum(of: id15)))
        }
    }

    // MARK: - Object rules

    private func applyObjectRules(
        schema: SObjectSchema,
        values: inout [String: JSONValue],
        existing: StoredRecord?,
        context: inout WriteContext
    ) throws(APIErrors) {
        guard schema.name == "CampaignMember" else { return }
        if existing == nil {
            // Both sent: only ContactId is saved (object reference).
            if !(values["ContactId"] ?? .null).isNull {
                values["LeadId"] = .null
            }
            guard let campaign = values["CampaignId"]?.stringValue.flatMap(SalesforceId.canonical15) else {
                throw APIErrors(Self.requiredMissing(["CampaignId"]))
            }
            let person = values["ContactId"]?.stringValue ?? values["LeadId"]?.stringValue
            guard let person15 = person.flatMap(SalesforceId.canonical15) else {
                throw APIErrors(
                    APIError(
                        "REQUIRED_FIELD_MISSING",
                        "Required fields are missing: [LeadId or ContactId]",
                        fields: ["LeadId", "ContactId"]
                    )
                )
            }
            if let lead = record("Lead", id15: person15), lead["IsConverted"].boolValue == true {
                throw APIErrors(
                    APIError(
                        "CANNOT_UPDATE_CONVERTED_LEAD",
                        "cannot reference converted lead",
                        fields: ["LeadId"]
                    )
                )
            }
            let pair = "\(campaign)|\(person15)"
            if context.memberPairsAdded.contains(pair) {
                let campaign18 = campaign + SalesforceId.checksum(of: campaign)
                let person18 = person15 + SalesforceId.checksum(of: person15)
                throw APIErrors(
                    APIError(
                        "DUPLICATE_VALUE",
                        "Attempted to add an entity '\(person18)' to a campaign '\(campaign18)' more than once."
                    )
                )
            }
            if memberId(campaign15: campaign, person15: person15) != nil {
                throw APIErrors(APIError("DUPLICATE_VALUE", "Already a campaign member."))
            }
            try resolveStatus(campaign15: campaign, values: &values, sent: values["Status"])
        } else if let existing, let sent = values["Status"],
            let campaign = existing["CampaignId"].stringValue.flatMap(SalesforceId.canonical15)
        {
            try resolveStatus(campaign15: campaign, values: &values, sent: sent)
        }
    }

    /// Sets `Status` to the campaign's canonical label (or its default) and `HasResponded` to match.
    private func resolveStatus(
        campaign15: String,
        values: inout [String: JSONValue],
        sent: JSONValue?
    ) throws(APIErrors) {
        let statuses = memberStatuses(campaign15: campaign15)
        let defaultStatus = statuses.first { $0["IsDefault"].boolValue == true } ?? statuses.first
        var chosen: StoredRecord?
        if let label = sent?.stringValue {
            chosen = statuses.first { $0["Label"].stringValue?.lowercased() == label.lowercased() }
            if chosen == nil, statusMode == .reject {
                throw APIErrors(
                    APIError(
                        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        "Status: bad value for restricted picklist field: \(label)",
                        fields: ["Status"]
                    )
                )
            }
        } else if sent != nil, statusMode == .reject {
            throw APIErrors(
                APIError(
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    "Status: bad value for restricted picklist field: null",
                    fields: ["Status"]
                )
            )
        }
        guard let status = chosen ?? defaultStatus else { return }
        values["Status"] = status["Label"]
        values["HasResponded"] = .bool(status["HasResponded"].boolValue ?? false)
    }

    private func checkUnique(schema: SObjectSchema, values: [String: JSONValue], selfId: String) throws(APIErrors) {
        for field in schema.fields where field.unique {
            guard let value = values[field.name], let key = field.comparisonKey(value) else { continue }
            let others = (indexedIds(schema.name, field: field.name, key: key) ?? []).subtracting([selfId])
            if let other = others.sorted().first {
                throw APIErrors(
                    APIError(
                        "DUPLICATE_VALUE",
                        "duplicate value found: \(field.name) duplicates value on record with id: "
                            + other + SalesforceId.checksum(of: other)
                    )
                )
            }
        }
    }

    // MARK: - Errors

    static func requiredMissing(_ fields: [String]) -> APIError {
        APIError(
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [\(fields.joined(separator: ", "))]",
            fields: fields
        )
    }

    static func invalidType(_ type: String) -> APIError {
        APIError("INVALID_TYPE", "sObject type '\(type)' is not supported.")
    }
}
