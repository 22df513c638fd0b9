import Foundation

extension MarketoStore {
    // MARK: - List and describe

    /// `GET /rest/v1/customobjects.json[?names=a,b]`
    func listCustomObjects(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let names = Set(list(request.query["names"]))
        let objects = sub.setup.customObjects.filter { $0.isApproved && (names.isEmpty || names.contains($0.name)) }
        return .success(objects.map { customObjectJSON($0, withFields: false) })
    }

    /// `GET /rest/v1/customobjects/{apiName}/describe.json`
    func describeCustomObject(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> SandboxReply
    {
        let object = try customObject(sub, request)
        return .success([customObjectJSON(object, withFields: true)])
    }

    func customObject(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> MarketoSandboxSetup.CustomObject
    {
        let name = request.parameters["apiName"] ?? ""
        guard let object = sub.setup.customObjects.first(where: { $0.name == name }), object.isApproved else {
            throw ReplyError(.failure("1013", "Custom object '\(name)' not found"))
        }
        return object
    }

    /// `GET /rest/v1/customobjects/schema/{apiName}/describe.json` (the Custom Object Metadata API): the type with
    /// its approval `state`, drafts included.
    func describeCustomObjectType(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> SandboxReply
    {
        let name = request.parameters["apiName"] ?? ""
        guard let object = sub.setup.customObjects.first(where: { $0.name == name }) else {
            throw ReplyError(.failure("1013", "Custom object type '\(name)' not found"))
        }
        guard case .object(var members) = customObjectJSON(object, withFields: true) else {
            return .success([])
        }
        members.removeAll { $0.0 == "name" }
        let state = object.state ?? "approved"
        members.insert(("apiName", .string(object.name)), at: 0)
        members.insert(("version", .string(state == "draft" ? "draft" : "approved")), at: 0)
        members.insert(("state", .string(state)), at: 0)
        return .success([.object(members)])
    }

    private func customObjectJSON(_ object: MarketoSandboxSetup.CustomObject, withFields: Bool) -> JSONValue {
        let searchable: [JSONValue] =
            [.array(object.dedupeFields.map { .string($0) }), .array([.string("marketoGUID")])]
            + object.relationships.map { .array([.string($0.field)]) }
        let relationships = object.relationships.map { link -> JSONValue in
            .object([
                ("field", .string(link.field)), ("type", .string("child")),
                ("relatedTo", .object([("name", .string("Lead")), ("field", .string(link.relatedField))])),
            ])
        }
        var members: [(String, JSONValue)] = [
            ("name", .string(object.name)), ("displayName", .string(object.displayName)),
            ("description", .string(object.displayName)),
            ("createdAt", .string(MarketoStore.iso(origin))), ("updatedAt", .string(MarketoStore.iso(origin))),
            ("idField", .string("marketoGUID")), ("dedupeFields", .array(object.dedupeFields.map { .string($0) })),
            ("searchableFields", .array(searchable)), ("relationships", .array(relationships)),
        ]
        if withFields {
            var fields: [JSONValue] = [
                .object([
                    ("name", .string("createdAt")), ("displayName", .string("Created At")),
                    ("dataType", .string("datetime")), ("updateable", .bool(false)),
                ]),
                .object([
                    ("name", .string("marketoGUID")), ("displayName", .string("Marketo GUID")),
                    ("dataType", .string("string")), ("length", .int(36)), ("updateable", .bool(false)),
                ]),
                .object([
                    ("name", .string("updatedAt")), ("displayName", .string("Updated At")),
                    ("dataType", .string("datetime")), ("updateable", .bool(false)),
                ]),
            ]
            for field in object.fields {
                var f: [(String, JSONValue)] = [
                    ("name", .string(field.name)), ("displayName", .string(field.displayName)),
                    ("dataType", .string(field.dataType)),
                ]
                if let length = field.length { f.append(("length", .int(length))) }
                f.append(("updateable", .bool(!object.dedupeFields.contains(field.name))))
                fields.append(.object(f))
            }
            members.append(("fields", .array(fields)))
        }
        return .object(members)
    }

    // MARK: - Sync

    /// `POST /rest/v1/customobjects/{apiName}.json`: dedupe by the dedupe fields (or `idField` with updateOnly);
    /// link fields must point at an existing lead.
    func syncCustomObjects(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let object = try customObject(sub, request)
        let body = try jsonBody(request)
        let action = body["action"]?.stringValue ?? "createOrUpdate"
        guard ["createOrUpdate", "createOnly", "updateOnly"].contains(action) else {
            throw ReplyError(.failure("1003", "Invalid action '\(action)'"))
        }
        let dedupeBy = body["dedupeBy"]?.stringValue ?? "dedupeFields"
        guard dedupeBy == "dedupeFields" || dedupeBy == "idField" else {
            throw ReplyError(.failure("1003", "Invalid dedupeBy '\(dedupeBy)'"))
        }
        if dedupeBy == "idField", action != "updateOnly" {
            throw ReplyError(.failure("1003", "dedupeBy 'idField' is only valid with action 'updateOnly'"))
        }
        let input = try inputArray(body, sub)
        var results: [JSONValue] = []
        var recordErrors: [String] = []
        var seenKeys = Set<String>()
        for (seq, item) in input.enumerated() {
            switch upsertCustomObject(&sub, object, item, action: action, dedupeBy: dedupeBy, seen: &seenKeys, now: now)
            {
            case .success(let (status, guid)):
                results.append(
                    .object([("seq", .int(seq)), ("status", .string(status)), ("marketoGUID", .string(guid))])
                )
            case .failure(let error):
                results.append(
                    .object([
                        ("seq", .int(seq)), ("status", .string("skipped")),
                        ("reasons", .array([SandboxReply.reason(error.code, error.message)])),
                    ])
                )
                recordErrors.append(error.code)
            }
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }

    /// Validates and stores one record; returns `created`/`updated` and the marketoGUID.
    func upsertCustomObject(
        _ sub: inout SubscriptionState,
        _ object: MarketoSandboxSetup.CustomObject,
        _ item: JSONValue,
        action: String,
        dedupeBy: String,
        seen: inout Set<String>,
        now: Date
    ) -> Result<(String, String), RecordError> {
        guard let members = item.objectMembers else { return .failure(RecordError("1003")) }
        let fields = Dictionary(object.fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var values: [String: SandboxValue] = [:]
        for (name, value) in members {
            if name == "marketoGUID" {
                if dedupeBy == "dedupeFields" {
                    return .failure(
                        RecordError("1003", "Field 'marketoGUID' not allowed when dedupeBy is 'dedupeFields'")
                    )
                }
                continue
            }
            if name == "createdAt" || name == "updatedAt" {
                return .failure(RecordError("1003", "Field '\(name)' is not updateable"))
            }
            guard let field = fields[name] else { return .failure(RecordError("1006", "Field '\(name)' not found")) }
            guard let converted = FieldValidation.convert(value, dataType: field.dataType) else {
                return .failure(RecordError("1001", FieldValidation.invalidValueMessage(value, field.dataType)))
            }
            values[name] = converted
        }
        for link in object.relationships {
            guard let value = values[link.field], value != .null else { continue }
            let found: Bool
            if link.relatedField == "email" {
                found = !sub.leadIds(withEmail: value.description).isEmpty
            } else {
                found =
                    value.intValue.flatMap { sub.leads[$0] } != nil
                    || Int(value.description).flatMap { sub.leads[$0] } != nil
            }
            guard found else { return .failure(RecordError("1004")) }
            if link.relatedField != "email", let id = Int(value.description) { values[link.field] = .int(id) }
        }
        var records = sub.customObjects[object.name] ?? [:]
        defer { sub.customObjects[object.name] = records }
        if dedupeBy == "idField" {
            guard let guid = item["marketoGUID"]?.stringValue, !guid.isEmpty else {
                return .failure(RecordError("1003", "Value for required field 'marketoGUID' not specified"))
            }
            guard var record = records[guid] else { return .failure(RecordError("1013")) }
            guard seen.insert("guid:" + guid).inserted else { return .failure(RecordError("1036")) }
            for (name, value) in values where !object.dedupeFields.contains(name) { record.fields[name] = value }
            record.updatedAt = now
            record.updateCount += 1
            records[guid] = record
            return .success(("updated", guid))
        }
        for field in object.dedupeFields where values[field] == nil || values[field] == .null {
            return .failure(RecordError("1003", "Value for required field '\(field)' not specified"))
        }
        let key = object.dedupeFields.map { values[$0]?.description ?? "" }.joined(separator: "\u{1F}")
        guard seen.insert(key).inserted else { return .failure(RecordError("1036")) }
        if let guid = sub.customObjectKeys[object.name]?[key], var record = records[guid] {
            if action == "createOnly" { return .failure(RecordError("1017")) }
            for (name, value) in values { record.fields[name] = value }
            record.updatedAt = now
            record.updateCount += 1
            records[guid] = record
            return .success(("updated", guid))
        }
        if action == "updateOnly" { return .failure(RecordError("1013")) }
        let guid = UUID().uuidString.lowercased()
        records[guid] = SandboxCustomObjectRecord(
            objectName: object.name,
            marketoGUID: guid,
            fields: values.filter { $0.value != .null },
            createdAt: now,
            updatedAt: now,
            updateCount: 0
        )
        sub.customObjectKeys[object.name, default: [:]][key] = guid
        sub.customObjectOrder[object.name, default: []].append(guid)
        return .success(("created", guid))
    }

    // MARK: - Query and delete

    /// `GET /rest/v1/customobjects/{apiName}.json?filterType=…&filterValues=…` and the compound-key form
    /// `POST …?_method=GET` with `{"filterType":"dedupeFields","input":[{…}]}`. Each result carries `seq`: the
    /// index of the filter value or input it matched.
    func queryCustomObjects(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let object = try customObject(sub, request)
        let json = request.body.isEmpty ? nil : request.json
        guard let filterType = json?["filterType"]?.stringValue ?? request.query["filterType"], !filterType.isEmpty
        else { throw ReplyError(.failure("701", "filterType cannot be blank")) }
        var fields = json?["fields"]?.arrayValue?.compactMap(\.stringValue) ?? list(request.query["fields"])
        if fields.isEmpty { fields = ["marketoGUID"] + object.dedupeFields + ["updatedAt", "createdAt"] }
        let known = Set(object.fields.map(\.name) + ["marketoGUID", "createdAt", "updatedAt"])
        if let unknown = fields.first(where: { !known.contains($0) }) {
            throw ReplyError(.failure("1006", "Field '\(unknown)' not found"))
        }
        let records = sub.customObjects[object.name] ?? [:]
        let order = sub.customObjectOrder[object.name] ?? []
        var matches: [(Int, SandboxCustomObjectRecord)] = []
        if let input = json?["input"]?.arrayValue {
            guard input.count <= sub.setup.limits.maxRecordsPerCall else {
                throw ReplyError(.failure("1003", "Number of input records exceeds the limit"))
            }
            for (seq, item) in input.enumerated() {
                for guid in order {
                    guard let record = records[guid] else { continue }
                    let keys = filterType == "dedupeFields" ? object.dedupeFields : [filterType]
                    let hit = keys.allSatisfy { key in
                        let want = item[key]?.scalarText ?? ""
                        return key == "marketoGUID"
                            ? record.marketoGUID == want : record.fields[key]?.description == want
                    }
                    if hit { matches.append((seq, record)) }
                }
            }
        } else {
            let values = list(request.query["filterValues"])
            guard !values.isEmpty else { throw ReplyError(.failure("701", "filterValues cannot be blank")) }
            let key = filterType == "idField" ? "marketoGUID" : filterType
            if filterType == "dedupeFields", object.dedupeFields.count > 1 {
                throw ReplyError(.failure("1003", "Use POST with input for compound dedupe fields"))
            }
            let field = filterType == "dedupeFields" ? object.dedupeFields[0] : key
            guard known.contains(field) else {
                throw ReplyError(.failure("1003", "Invalid filterType '\(filterType)'"))
            }
            for (seq, value) in values.enumerated() {
                for guid in order {
                    guard let record = records[guid] else { continue }
                    let have = field == "marketoGUID" ? record.marketoGUID : record.fields[field]?.description
                    if have == value { matches.append((seq, record)) }
                }
            }
        }
        let (range, extra) = try page(count: matches.count, request, scope: "co:\(object.name):\(filterType)")
        let result = matches[range].map { seq, record -> JSONValue in
            var out: [(String, JSONValue)] = [("seq", .int(seq))]
            for field in fields {
                switch field {
                case "marketoGUID": out.append((field, .string(record.marketoGUID)))
                case "createdAt": out.append((field, .string(MarketoStore.iso(record.createdAt))))
                case "updatedAt": out.append((field, .string(MarketoStore.iso(record.updatedAt))))
                default: out.append((field, record.fields[field]?.json ?? .null))
                }
            }
            return .object(out)
        }
        return .success(result, extra: extra)
    }

    /// `POST /rest/v1/customobjects/{apiName}/delete.json`
    func deleteCustomObjects(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> SandboxReply
    {
        let object = try customObject(sub, request)
        let body = try jsonBody(request)
        let deleteBy = body["deleteBy"]?.stringValue ?? "dedupeFields"
        let input = try inputArray(body, sub)
        var results: [JSONValue] = []
        var recordErrors: [String] = []
        for (seq, item) in input.enumerated() {
            var guid: String?
            if deleteBy == "idField" {
                guid = item["marketoGUID"]?.stringValue
            } else {
                let key = object.dedupeFields.map { item[$0]?.scalarText ?? "" }.joined(separator: "\u{1F}")
                guid = sub.customObjectKeys[object.name]?[key]
            }
            guard let guid, let record = sub.customObjects[object.name]?[guid] else {
                results.append(
                    .object([
                        ("seq", .int(seq)), ("status", .string("skipped")),
                        ("reasons", .array([SandboxReply.reason("1013")])),
                    ])
                )
                recordErrors.append("1013")
                continue
            }
            sub.customObjects[object.name]?[guid] = nil
            sub.customObjectOrder[object.name]?.removeAll { $0 == guid }
            let key = object.dedupeFields.map { record.fields[$0]?.description ?? "" }.joined(separator: "\u{1F}")
            sub.customObjectKeys[object.name]?[key] = nil
            results.append(
                .object([("seq", .int(seq)), ("marketoGUID", .string(guid)), ("status", .string("deleted"))])
            )
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }
}
