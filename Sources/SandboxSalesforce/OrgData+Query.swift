// MARK: - OrgData + Query

extension OrgData {
    /// Runs a parsed query and renders every matching row as the REST API does, `attributes` first and the
    /// selected fields in SELECT order under their canonical names.
    func run(_ query: SOQLQuery, apiVersion: String) throws(APIError) -> [JSONValue] {
        guard let schema = schema(query.object) else {
            throw APIError(
                "INVALID_TYPE",
                "sObject type '\(query.object)' is not supported. If you are attempting to use a custom object, "
                    + "be sure to append the '__c' after the entity name."
            )
        }
        var selected: [FieldSchema] = []
        for name in query.fields {
            guard let field = schema.field(name) else { throw Self.noSuchColumn(name, schema: schema) }
            selected.append(field)
        }
        var filters: [(FieldSchema, Set<String?>, Bool)] = []
        for condition in query.conditions {
            guard let field = schema.field(condition.field) else {
                throw Self.noSuchColumn(condition.field, schema: schema)
            }
            switch condition {
            case .equals(_, let value, let negated):
                filters.append((field, [try Self.key(value, field: field)], negated))
            case .within(_, let values, let negated):
                var keys: Set<String?> = []
                for value in values {
                    keys.insert(try Self.key(value, field: field))
                }
                filters.append((field, keys, negated))
            }
        }
        var candidates: [StoredRecord]
        if let (field, keys, _) = filters.first(where: { $0.0.indexed && !$0.2 && !$0.1.contains(nil) }) {
            var ids: Set<String> = []
            for case let key? in keys {
                ids.formUnion(indexedIds(schema.name, field: field.name, key: key) ?? [])
            }
            candidates = ids.compactMap { record(schema.name, id15: $0) }.sorted { $0.sequence < $1.sequence }
        } else {
            candidates = all(schema.name)
        }
        candidates = candidates.filter { record in
            filters.allSatisfy { field, keys, negated in
                keys.contains(field.comparisonKey(record[field.name])) != negated
            }
        }
        if let limit = query.limit {
            candidates = Array(candidates.prefix(limit))
        }
        return candidates.map { record in
            var pairs: [(String, JSONValue)] = [
                (
                    "attributes",
                    .object([
                        ("type", .string(schema.name)),
                        ("url", .string("/services/data/\(apiVersion)/sobjects/\(schema.name)/\(record.id18)")),
                    ])
                )
            ]
            for field in selected {
                pairs.append((field.name, record[field.name]))
            }
            return .object(pairs)
        }
    }

    /// The comparison key of a literal for a field, checking that the literal fits the field's type.
    private static func key(_ literal: SOQLQuery.Literal, field: FieldSchema) throws(APIError) -> String? {
        switch (literal, field.kind) {
        case (.null, _):
            return nil
        case (.bool(let flag), .boolean):
            return flag ? "true" : "false"
        case (.number(let number), .number):
            return JSONValue.format(number)
        case (.string(let text), .id), (.string(let text), .reference):
            guard let id15 = SalesforceId.canonical15(text) else {
                throw APIError("INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: \(text)")
            }
            return id15
        case (.string(let text), .string), (.string(let text), .picklist), (.string(let text), .email),
            (.string(let text), .autoNumber), (.string(let text), .dateTime):
            return field.comparisonKey(.string(text))
        case (_, .boolean):
            throw APIError(
                "INVALID_FIELD",
                "value of filter criterion for field '\(field.name)' must be of type boolean and should not be "
                    + "enclosed in quotes"
            )
        case (_, .number):
            throw APIError(
                "INVALID_FIELD",
                "value of filter criterion for field '\(field.name)' must be of type double and should not be "
                    + "enclosed in quotes"
            )
        default:
            throw APIError(
                "INVALID_FIELD",
                "value of filter criterion for field '\(field.name)' must be of type string and should be "
                    + "enclosed in quotes"
            )
        }
    }

    private static func noSuchColumn(_ name: String, schema: SObjectSchema) -> APIError {
        APIError(
            "INVALID_FIELD",
            "No such column '\(name)' on entity '\(schema.name)'. If you are attempting to use a custom field, "
                + "be sure to append the '__c' after the custom field name."
        )
    }
}
