import Foundation

// MARK: - OrgRuntime + REST

extension OrgRuntime {
    // MARK: - Limits

    mutating func limitsResult(now: Date) -> APIResult {
        pruneWindow(now: now)
        func entry(_ max: Int, _ used: Int) -> JSONValue {
            .object([("Max", .number(Double(max))), ("Remaining", .number(Double(Swift.max(0, max - used))))])
        }
        return .json(
            200,
            .object([
                ("DailyApiRequests", entry(limits.dailyApiRequests, apiCallTimes.count)),
                ("DailyBulkApiBatches", entry(limits.dailyBulkBatches, bulkBatchTimes.count)),
                ("DailyBulkV2QueryJobs", entry(10_000, 0)),
                ("DailyBulkV2QueryFileStorageMB", entry(976_562, 0)),
            ])
        )
    }

    // MARK: - Query

    mutating func query(_ request: APIRequest) -> APIResult {
        guard let text = request.query["q"], !text.isEmpty else {
            return .failure(400, APIError("MALFORMED_QUERY", "A query string has to be specified"))
        }
        let rows: [JSONValue]
        do {
            rows = try data.run(try SOQLQuery.parse(text), apiVersion: request.version)
        } catch {
            return .failure(400, error)
        }
        var batchSize = limits.queryBatchSize
        if let options = request.headers["sforce-query-options"],
            let range = options.range(of: "batchSize="),
            let asked = Int(options[range.upperBound...].prefix { $0.isNumber })
        {
            batchSize = min(max(asked, 200), limits.queryBatchSize)
        }
        return page(rows: rows, from: 0, batchSize: batchSize, version: request.version)
    }

    mutating func queryMore(_ request: APIRequest) -> APIResult {
        let locator = request.segments.count > 1 ? request.segments[1] : ""
        let parts = locator.split(separator: "-")
        guard parts.count == 2, let position = Int(parts[1]), let cursor = cursors[String(parts[0])],
            position <= cursor.rows.count
        else {
            return .failure(400, APIError("INVALID_QUERY_LOCATOR", "invalid query locator"))
        }
        return page(
            rows: cursor.rows,
            from: position,
            batchSize: cursor.batchSize,
            version: cursor.version,
            locator: String(parts[0])
        )
    }

    private mutating func page(
        rows: [JSONValue],
        from position: Int,
        batchSize: Int,
        version: String,
        locator existing: String? = nil
    ) -> APIResult {
        let end = min(rows.count, position + batchSize)
        var pairs: [(String, JSONValue)] = [
            ("totalSize", .number(Double(rows.count))),
            ("done", .bool(end >= rows.count)),
        ]
        if end < rows.count {
            let locator =
                existing
                ?? {
                    let id = String(SalesforceId.make(prefix: "01g", sequence: nextLocator).prefix(15))
                    nextLocator += 1
                    return id
                }()
            cursors[locator] = QueryCursor(rows: rows, batchSize: batchSize, version: version)
            pairs.append(("nextRecordsUrl", .string("/services/data/\(version)/query/\(locator)-\(end)")))
        } else if let existing {
            cursors[existing] = nil
        }
        pairs.append(("records", .array(Array(rows[position..<end]))))
        return .json(200, .object(pairs), records: end - position)
    }

    // MARK: - Single records

    /// The body's fields, or a REST error result.
    private func bodyPairs(_ request: APIRequest) -> Result<[(String, JSONValue)], APIError> {
        do {
            guard let pairs = try request.json().objectPairs else {
                return .failure(APIError("JSON_PARSER_ERROR", "Expected a JSON object as the request body"))
            }
            return .success(pairs)
        } catch {
            return .failure(error)
        }
    }

    mutating func createRecord(_ request: APIRequest, now: Date) -> APIResult {
        let type = request.segments[1]
        guard data.schema(type) != nil else { return .failure(404, APIError.notFound()) }
        let pairs: [(String, JSONValue)]
        switch bodyPairs(request) {
        case .success(let value): pairs = value
        case .failure(let error): return .failure(400, error, records: 1)
        }
        var context = WriteContext(now: now)
        do {
            let id = try data.create(type, pairs, context: &context)
            noteWrite(type: data.schema(type)?.name ?? type, created: true)
            return .json(
                201,
                .object([
                    ("id", .string(id)), ("success", .bool(true)), ("errors", .array([])),
                ]),
                records: 1
            )
        } catch {
            return .failure(400, error.errors, records: 1)
        }
    }

    /// `GET /sobjects/{type}`: the object's basic information.
    func basicInfo(_ request: APIRequest) -> APIResult {
        guard let schema = data.schema(request.segments[1]) else { return .failure(404, APIError.notFound()) }
        return .json(
            200,
            .object([
                (
                    "objectDescribe",
                    .object([
                        ("name", .string(schema.name)),
                        ("keyPrefix", .string(schema.keyPrefix)),
                        ("custom", .bool(schema.name.hasSuffix("__c"))),
                        ("createable", .bool(schema.createable)),
                        ("updateable", .bool(schema.createable)),
                        (
                            "urls",
                            .object([
                                ("sobject", .string("/services/data/\(request.version)/sobjects/\(schema.name)")),
                                (
                                    "rowTemplate",
                                    .string("/services/data/\(request.version)/sobjects/\(schema.name)/{ID}")
                                ),
                            ])
                        ),
                    ])
                ),
                ("recentItems", .array([])),
            ])
        )
    }

    func getRecord(_ request: APIRequest) -> APIResult {
        guard let schema = data.schema(request.segments[1]) else { return .failure(404, APIError.notFound()) }
        guard let id15 = SalesforceId.canonical15(request.segments[2]), id15.hasPrefix(schema.keyPrefix),
            let record = data.record(schema.name, id15: id15)
        else { return .failure(404, APIError.notFound()) }
        let wanted = request.query["fields"]?.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var pairs: [(String, JSONValue)] = [
            (
                "attributes",
                .object([
                    ("type", .string(schema.name)),
                    ("url", .string("/services/data/\(request.version)/sobjects/\(schema.name)/\(record.id18)")),
                ])
            )
        ]
        for field in schema.fields
        where wanted.map({ names in
            names.contains { $0.lowercased() == field.name.lowercased() }
        }) ?? true {
            pairs.append((field.name, record[field.name]))
        }
        return .json(200, .object(pairs), records: 1)
    }

    mutating func updateRecord(_ request: APIRequest, now: Date) -> APIResult {
        guard let schema = data.schema(request.segments[1]) else { return .failure(404, APIError.notFound()) }
        let raw = request.segments[2]
        guard let id15 = SalesforceId.canonical15(raw), id15.hasPrefix(schema.keyPrefix) else {
            return .failure(400, APIError("MALFORMED_ID", "malformed id \(raw)", fields: ["Id"]), records: 1)
        }
        guard data.record(schema.name, id15: id15) != nil else { return .failure(404, APIError.notFound()) }
        let pairs: [(String, JSONValue)]
        switch bodyPairs(request) {
        case .success(let value): pairs = value
        case .failure(let error): return .failure(400, error, records: 1)
        }
        var context = WriteContext(now: now)
        do {
            _ = try data.update(schema.name, id: raw, pairs, context: &context)
            noteWrite(type: schema.name, created: false)
            return APIResult(status: 204, body: .empty, errorCode: nil, records: 1)
        } catch {
            return .failure(400, error.errors, records: 1)
        }
    }

    mutating func deleteRecord(_ request: APIRequest) -> APIResult {
        guard let schema = data.schema(request.segments[1]),
            let id15 = SalesforceId.canonical15(request.segments[2]), id15.hasPrefix(schema.keyPrefix),
            data.record(schema.name, id15: id15) != nil
        else { return .failure(404, APIError.notFound()) }
        data.remove(schema.name, id15: id15)
        return APIResult(status: 204, body: .empty, errorCode: nil, records: 1)
    }

    mutating func upsertRecord(_ request: APIRequest, now: Date) -> APIResult {
        guard let schema = data.schema(request.segments[1]) else { return .failure(404, APIError.notFound()) }
        let pairs: [(String, JSONValue)]
        switch bodyPairs(request) {
        case .success(let value): pairs = value
        case .failure(let error): return .failure(400, error, records: 1)
        }
        var context = WriteContext(now: now)
        let updateOnly = request.query["updateOnly"]?.lowercased() == "true"
        do {
            let result = try data.upsert(
                schema.name,
                field: request.segments[2],
                value: request.segments[3],
                pairs,
                updateOnly: updateOnly,
                context: &context
            )
            switch result {
            case .created(let id):
                noteWrite(type: schema.name, created: true)
                var body: [(String, JSONValue)] = [
                    ("id", .string(id)), ("success", .bool(true)), ("errors", .array([])),
                ]
                if request.reportsCreated { body.append(("created", .bool(true))) }
                return .json(201, .object(body), records: 1)
            case .updated(let id):
                noteWrite(type: schema.name, created: false)
                guard request.reportsCreated else { return APIResult(status: 204, body: .empty, records: 1) }
                return .json(
                    200,
                    .object([
                        ("id", .string(id)), ("success", .bool(true)), ("errors", .array([])),
                        ("created", .bool(false)),
                    ]),
                    records: 1
                )
            case .multiple(let ids):
                let urls = ids.map {
                    JSONValue.string("/services/data/\(request.version)/sobjects/\(schema.name)/\($0)")
                }
                return APIResult(status: 300, body: .json(.array(urls)), errorCode: "MULTIPLE_CHOICES", records: 1)
            }
        } catch {
            let status = error.errors.first?.code == "NOT_FOUND" ? 404 : 400
            return .failure(status, error.errors, records: 1)
        }
    }
}
