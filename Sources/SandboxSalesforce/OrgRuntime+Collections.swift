import Foundation

// MARK: - OrgRuntime + Collections

extension OrgRuntime {
    /// One row's outcome in an sObject Collections call.
    private struct RowResult {
        var id: String?
        var created: Bool?
        var errors: [APIError]

        init(id: String? = nil, created: Bool? = nil, errors: [APIError]) {
            self.id = id
            self.created = created
            self.errors = errors
        }

        var json: JSONValue {
            var pairs: [(String, JSONValue)] = []
            if let id { pairs.append(("id", .string(id))) }
            pairs.append(("success", .bool(errors.isEmpty)))
            pairs.append(("errors", .array(errors.map(\.collectionJSON))))
            if let created, errors.isEmpty { pairs.append(("created", .bool(created))) }
            return .object(pairs)
        }
    }

    private enum RowOperation {
        case create
        case update
        case upsert(type: String, field: String)
    }

    /// Reads `{"allOrNone":…,"records":[…]}` and checks the record count.
    private func collectionBody(_ request: APIRequest) -> Result<(Bool, [JSONValue]), APIResult> {
        let body: JSONValue
        do {
            body = try request.json()
        } catch {
            return .failure(.failure(400, error))
        }
        guard let records = body["records"]?.arrayValue else {
            return .failure(.failure(400, APIError("JSON_PARSER_ERROR", "The request body must have a records array")))
        }
        guard records.count <= limits.collectionRecords else {
            return .failure(
                .failure(
                    400,
                    APIError(
                        "EXCEEDED_ID_LIMIT",
                        "record limit reached. cannot submit more than \(limits.collectionRecords) records into this "
                            + "call"
                    ),
                    records: records.count
                )
            )
        }
        return .success((body["allOrNone"]?.boolValue ?? false, records))
    }

    mutating func collectionCreate(_ request: APIRequest, now: Date) -> APIResult {
        runCollection(request, operation: .create, now: now)
    }

    mutating func collectionUpdate(_ request: APIRequest, now: Date) -> APIResult {
        runCollection(request, operation: .update, now: now)
    }

    mutating func collectionUpsert(_ request: APIRequest, now: Date) -> APIResult {
        guard let schema = data.schema(request.segments[2]) else { return .failure(404, APIError.notFound()) }
        guard let field = schema.field(request.segments[3]), field.externalId || field.name == "Id" else {
            return .failure(404, APIError.notFound())
        }
        return runCollection(request, operation: .upsert(type: schema.name, field: field.name), now: now)
    }

    private mutating func runCollection(_ request: APIRequest, operation: RowOperation, now: Date) -> APIResult {
        let allOrNone: Bool
        let records: [JSONValue]
        switch collectionBody(request) {
        case .success(let parsed): (allOrNone, records) = parsed
        case .failure(let result): return result
        }
        var working = data
        var context = WriteContext(now: now)
        var results: [RowResult] = []
        var writes: [(String, Bool)] = []
        let duplicated = duplicatedExternalIds(records, operation: operation, in: working)
        for record in records {
            let result = applyRow(
                record,
                operation: operation,
                endpoint: request.endpoint,
                working: &working,
                context: &context,
                duplicated: duplicated
            )
            if result.errors.isEmpty, let type = record["attributes"]?["type"]?.stringValue {
                writes.append((working.schema(type)?.name ?? type, result.created ?? true))
            }
            results.append(result)
        }
        let anyFailed = results.contains { !$0.errors.isEmpty }
        if allOrNone && anyFailed {
            results = results.map { result in
                result.errors.isEmpty ? RowResult(id: nil, created: nil, errors: [.rolledBack()]) : result
            }
        } else {
            data = working
            for (type, created) in writes {
                noteWrite(type: type, created: created)
            }
        }
        var answer = APIResult.json(200, .array(results.map(\.json)), records: records.count)
        answer.rowErrorCodes = results.flatMap { $0.errors.map(\.code) }
        return answer
    }

    /// The external ids that more than one row of an upsert carries (compared as the field compares them):
    /// Salesforce fails every one of those rows, the first included, and writes none of them.
    private func duplicatedExternalIds(
        _ records: [JSONValue],
        operation: RowOperation,
        in working: OrgData
    ) -> Set<String> {
        guard case .upsert(let type, let fieldName) = operation else { return [] }
        let field = working.schema(type)?.field(fieldName)
        var seen: Set<String> = []
        var duplicated: Set<String> = []
        for record in records {
            guard let value = record.value(forCaseInsensitiveKey: fieldName), !value.isNull else { continue }
            let text = value.displayText
            let key = field?.comparisonKey(.string(text)) ?? text
            if !seen.insert(key).inserted { duplicated.insert(key) }
        }
        return duplicated
    }

    private mutating func applyRow(
        _ record: JSONValue,
        operation: RowOperation,
        endpoint: String,
        working: inout OrgData,
        context: inout WriteContext,
        duplicated: Set<String>
    ) -> RowResult {
        guard let pairs = record.objectPairs else {
            return RowResult(errors: [APIError("JSON_PARSER_ERROR", "Each record must be a JSON object")])
        }
        let sentId = record.value(forCaseInsensitiveKey: "id")?.stringValue
        if let fault = faultBook?.drawRowError(orgId: setup.orgId, endpoint: endpoint) {
            return RowResult(id: sentId, errors: [fault])
        }
        var type = record["attributes"]?["type"]?.stringValue
        if case .upsert(let upsertType, _) = operation {
            if let given = type, given.lowercased() != upsertType.lowercased() {
                return RowResult(errors: [
                    APIError(
                        "INVALID_TYPE",
                        "Record type \(given) does not match the type in the URL: \(upsertType)"
                    )
                ])
            }
            type = upsertType
        }
        guard let type else {
            return RowResult(errors: [APIError("INVALID_TYPE", "Must send a concrete entity type.")])
        }
        guard working.schema(type) != nil else {
            return RowResult(errors: [OrgData.invalidType(type)])
        }
        let fields = pairs.filter { $0.0 != "attributes" }
        do {
            switch operation {
            case .create:
                if sentId != nil {
                    return RowResult(errors: [APIError("INVALID_FIELD", "cannot specify Id in an insert call")])
                }
                return RowResult(id: try working.create(type, fields, context: &context), created: nil, errors: [])
            case .update:
                guard let sentId else {
                    return RowResult(errors: [APIError("MISSING_ARGUMENT", "Id not specified in an update call")])
                }
                let rest = fields.filter { $0.0.lowercased() != "id" }
                return RowResult(
                    id: try working.update(type, id: sentId, rest, context: &context),
                    created: nil,
                    errors: []
                )
            case .upsert(_, let fieldName):
                guard let value = record.value(forCaseInsensitiveKey: fieldName), !value.isNull else {
                    return RowResult(errors: [
                        APIError(
                            "MISSING_ARGUMENT",
                            "\(fieldName) not specified",
                            fields: [fieldName]
                        )
                    ])
                }
                let text = value.displayText
                let field = working.schema(type)?.field(fieldName)
                let key = field?.comparisonKey(.string(text)) ?? text
                guard !duplicated.contains(key) else {
                    return RowResult(errors: [
                        APIError(
                            "DUPLICATE_VALUE",
                            "Duplicate external id specified: \(text)",
                            fields: [fieldName]
                        )
                    ])
                }
                let rest = fields.filter { $0.0.lowercased() != fieldName.lowercased() }
                switch try working.upsert(type, field: fieldName, value: text, rest, context: &context) {
                case .created(let id): return RowResult(id: id, created: true, errors: [])
                case .updated(let id): return RowResult(id: id, created: false, errors: [])
                case .multiple(let ids):
                    return RowResult(errors: [
                        APIError(
                            "DUPLICATE_EXTERNAL_ID",
                            "\(fieldName): more than one record found for external id field: \(ids)",
                            fields: [fieldName]
                        )
                    ])
                }
            }
        } catch {
            if case .update = operation { return RowResult(id: sentId, errors: error.errors) }
            return RowResult(errors: error.errors)
        }
    }
}
