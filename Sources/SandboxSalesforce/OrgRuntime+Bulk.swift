import Foundation

// MARK: - OrgRuntime + Bulk

extension OrgRuntime {
    private static let operations: Set<String> = ["insert", "update", "upsert", "delete", "hardDelete"]

    /// Bulk API 2.0 ingest: `/jobs/ingest[/{id}[/batches|/successfulResults|/failedResults|/unprocessedrecords]]`.
    mutating func bulk(_ request: APIRequest, now: Date) -> APIResult {
        let segments = request.segments
        guard segments.count >= 2, segments[1] == "ingest" else { return .failure(404, APIError.notFound()) }
        if segments.count == 2 {
            switch request.method {
            case "POST": return createJob(request, now: now)
            case "GET":
                let infos = jobOrder.compactMap { jobs[$0]?.info(brief: false) }
                return .json(
                    200,
                    .object([
                        ("done", .bool(true)), ("records", .array(infos)), ("nextRecordsUrl", .null),
                    ])
                )
            default: return .failure(405, APIError("METHOD_NOT_ALLOWED", "HTTP Method '\(request.method)' not allowed"))
            }
        }
        let jobId = segments[2]
        guard let id15 = SalesforceId.canonical15(jobId), let job = jobs[id15] else {
            return .failure(404, APIError("NOT_FOUND", "Could not find job with id \(jobId)"))
        }
        if segments.count == 3 {
            switch request.method {
            case "GET": return .json(200, job.info(brief: false))
            case "PATCH": return changeState(id15, request, now: now)
            case "DELETE":
                guard job.state != .open, job.state != .inProgress else {
                    return .failure(
                        400,
                        APIError(
                            "INVALIDJOBSTATE",
                            "Job with id \(job.id) is \(job.state.rawValue) "
                                + "and cannot be deleted"
                        )
                    )
                }
                jobs[id15] = nil
                jobOrder.removeAll { $0 == id15 }
                return APIResult(status: 204, body: .empty)
            default: return .failure(405, APIError("METHOD_NOT_ALLOWED", "HTTP Method '\(request.method)' not allowed"))
            }
        }
        switch (segments[3], request.method) {
        case ("batches", "PUT"): return upload(id15, request, now: now)
        case ("successfulResults", "GET"), ("failedResults", "GET"), ("unprocessedrecords", "GET"):
            return results(job, kind: segments[3])
        default: return .failure(404, APIError.notFound())
        }
    }

    private mutating func createJob(_ request: APIRequest, now: Date) -> APIResult {
        let body: JSONValue
        do {
            body = try request.json()
        } catch {
            return .failure(400, error)
        }
        func invalid(_ message: String) -> APIResult {
            .failure(400, APIError("INVALIDJOB", message))
        }
        guard let object = body["object"]?.stringValue, let schema = data.schema(object) else {
            return invalid("Entity '\(body["object"]?.displayText ?? "")' is not supported by the Bulk API.")
        }
        guard let operation = body["operation"]?.stringValue, Self.operations.contains(operation) else {
            return invalid("InvalidJob : Invalid operation: \(body["operation"]?.displayText ?? "null")")
        }
        var externalId: String?
        if operation == "upsert" {
            guard let name = body["externalIdFieldName"]?.stringValue else {
                return invalid(
                    "InvalidJob : External ID was blank for \(schema.name). An External ID must be "
                        + "specified for upsert."
                )
            }
            guard let field = schema.field(name), field.externalId || field.name == "Id" else {
                return invalid(
                    "InvalidJob : Field name provided, \(name) is not an External ID or indexed field "
                        + "for \(schema.name)"
                )
            }
            externalId = field.name
        }
        let contentType = body["contentType"]?.stringValue ?? "CSV"
        guard contentType == "CSV" else { return invalid("InvalidJob : Unsupported content type: \(contentType)") }
        let lineEnding = body["lineEnding"]?.stringValue ?? "LF"
        guard lineEnding == "LF" || lineEnding == "CRLF" else {
            return invalid("InvalidJob : Invalid lineEnding: \(lineEnding)")
        }
        let delimiter = body["columnDelimiter"]?.stringValue ?? "COMMA"
        guard ["COMMA", "TAB", "PIPE", "SEMICOLON", "CARET", "BACKQUOTE"].contains(delimiter) else {
            return invalid("InvalidJob : Invalid columnDelimiter: \(delimiter)")
        }
        let id15 = String(SalesforceId.make(prefix: "750", sequence: 1_000_000 + counters.bulkJobsCreated).prefix(15))
        let job = BulkJob(
            id: id15 + SalesforceId.checksum(of: id15),
            object: schema.name,
            operation: operation,
            externalIdFieldName: externalId,
            lineEnding: lineEnding,
            columnDelimiter: delimiter,
            apiVersion: request.versionNumber,
            createdById: userId,
            createdDate: now,
            systemModstamp: now
        )
        jobs[id15] = job
        jobOrder.append(id15)
        counters.bulkJobsCreated += 1
        return .json(200, job.info(brief: true))
    }

    private mutating func upload(_ id15: String, _ request: APIRequest, now: Date) -> APIResult {
        guard var job = jobs[id15] else { return .failure(404, APIError.notFound()) }
        guard job.state == .open else {
            return .failure(
                409,
                APIError(
                    "INVALIDJOBSTATE",
                    "Job with id \(job.id) is \(job.state.rawValue); data can be uploaded only to an Open job"
                )
            )
        }
        guard job.table == nil, job.errorMessage == nil else {
            return .failure(
                400,
                APIError(
                    "BULK_API_ERROR",
                    "Found multiple contents for job: <\(job.id)>, please 'Close' / 'Abort' / 'Delete' the current Job "
                        + "then create a new Job and make sure you only do 'PUT' once on a given Job."
                )
            )
        }
        let text = String(decoding: request.body, as: UTF8.self)
        do {
            job.table = try CSVTable.parse(text, delimiter: job.delimiterCharacter)
        } catch {
            // Salesforce accepts the upload and fails the job when it reads the data.
            job.errorMessage = "InvalidBatch : \(error.reason)"
        }
        job.systemModstamp = now
        jobs[id15] = job
        return APIResult(status: 201, body: .empty, records: job.table?.rows.count ?? 0)
    }

    private mutating func changeState(_ id15: String, _ request: APIRequest, now: Date) -> APIResult {
        guard var job = jobs[id15] else { return .failure(404, APIError.notFound()) }
        let wanted: String?
        do {
            wanted = try request.json()["state"]?.stringValue
        } catch {
            return .failure(400, error)
        }
        switch wanted {
        case "UploadComplete"?:
            guard job.state == .open else {
                return .failure(
                    409,
                    APIError(
                        "INVALIDJOBSTATE",
                        "Job with id \(job.id) is \(job.state.rawValue) "
                            + "and cannot be closed"
                    )
                )
            }
            job.state = .uploadComplete
            job.closedAt = now
        case "Aborted"?:
            guard !job.state.isTerminal else {
                return .failure(
                    409,
                    APIError(
                        "INVALIDJOBSTATE",
                        "Job with id \(job.id) is \(job.state.rawValue) "
                            + "and cannot be aborted"
                    )
                )
            }
            job.state = .aborted
            job.unprocessed = job.table?.rows ?? []
        default:
            return .failure(400, APIError("INVALIDJOBSTATE", "Invalid state: \(wanted ?? "null")"))
        }
        job.systemModstamp = now
        jobs[id15] = job
        advanceJobs(now: now)
        return .json(200, (jobs[id15] ?? job).info(brief: true))
    }

    private func results(_ job: BulkJob, kind: String) -> APIResult {
        let header = job.table?.header ?? []
        let text: String
        switch kind {
        case "successfulResults":
            guard job.state == .jobComplete || job.state == .failed || job.state == .aborted else {
                return notReady(job)
            }
            let rows = job.shuffled(job.outcomes.filter { $0.error == nil }).map {
                [$0.id, $0.created ? "true" : "false"] + $0.row
            }
            text = CSVTable.write(
                prefix: ["sf__Id", "sf__Created"],
                header: header,
                rows: rows,
                lineEnding: job.lineEndingText
            )
        case "failedResults":
            guard job.state == .jobComplete || job.state == .failed || job.state == .aborted else {
                return notReady(job)
            }
            let rows = job.shuffled(job.outcomes.filter { $0.error != nil }).map {
                [$0.id, $0.error?.bulkText ?? ""] + $0.row
            }
            text = CSVTable.write(
                prefix: ["sf__Id", "sf__Error"],
                header: header,
                rows: rows,
                lineEnding: job.lineEndingText
            )
        default:
            guard job.state.isTerminal else { return notReady(job) }
            text = CSVTable.write(prefix: [], header: header, rows: job.unprocessed, lineEnding: job.lineEndingText)
        }
        return APIResult(status: 200, body: .text(text, contentType: "text/csv"), records: 0)
    }

    private func notReady(_ job: BulkJob) -> APIResult {
        .failure(
            400,
            APIError(
                "INVALIDJOBSTATE",
                "Job with id \(job.id) is \(job.state.rawValue); results are available once it is complete"
            )
        )
    }

    // MARK: - Processing

    /// Moves closed jobs along by sandbox time and applies their rows when their processing time is up.
    mutating func advanceJobs(now: Date) {
        for id15 in jobOrder {
            guard var job = jobs[id15], let closedAt = job.closedAt,
                job.state == .uploadComplete || job.state == .inProgress
            else { continue }
            let elapsed = now.timeIntervalSince(closedAt)
            if elapsed >= limits.bulkProcessingSeconds {
                process(&job, now: now)
            } else if elapsed >= limits.bulkProcessingSeconds / 2 {
                job.state = .inProgress
            }
            jobs[id15] = job
        }
    }

    private mutating func process(_ job: inout BulkJob, now: Date) {
        job.systemModstamp = now
        guard let table = job.table else {
            if let message = job.errorMessage {
                job.state = .failed
                job.errorMessage = message
            } else {
                job.state = .jobComplete
            }
            return
        }
        guard let schema = data.schema(job.object) else {
            job.state = .failed
            job.errorMessage = "InvalidBatch : Entity \(job.object) is not available"
            job.unprocessed = table.rows
            return
        }
        for column in table.header where schema.field(column) == nil {
            job.state = .failed
            job.errorMessage = "InvalidBatch : Field name not found : \(column)"
            job.unprocessed = table.rows
            return
        }
        let batches = max(1, (table.rows.count + 9_999) / 10_000)
        for _ in 0..<batches {
            bulkBatchTimes.append(now)
        }
        var context = WriteContext(now: now, fromCSV: true)
        let idColumn = table.header.firstIndex { $0.lowercased() == "id" }
        let externalColumn = job.externalIdFieldName.flatMap { name in
            table.header.firstIndex { $0.lowercased() == name.lowercased() }
        }
        for row in table.rows {
            let sentId = idColumn.map { row[$0] } ?? ""
            if let fault = faultBook?.drawRowError(orgId: setup.orgId, endpoint: "bulk.process") {
                job.outcomes.append(.init(id: sentId, created: false, error: fault, row: row))
                continue
            }
            var pairs: [(String, JSONValue)] = []
            for (column, value) in zip(table.header, row) where !value.isEmpty {
                pairs.append((column, .string(value)))
            }
            do throws(APIErrors) {
                switch job.operation {
                case "insert":
                    let id = try data.create(schema.name, pairs, context: &context)
                    job.outcomes.append(.init(id: id, created: true, error: nil, row: row))
                    noteWrite(type: schema.name, created: true)
                case "update":
                    guard idColumn != nil, !sentId.isEmpty else {
                        throw APIErrors(APIError("MISSING_ARGUMENT", "Id not specified in an update call"))
                    }
                    let rest = pairs.filter { $0.0.lowercased() != "id" }
                    let id = try data.update(schema.name, id: sentId, rest, context: &context)
                    job.outcomes.append(.init(id: id, created: false, error: nil, row: row))
                    noteWrite(type: schema.name, created: false)
                case "upsert":
                    let field = job.externalIdFieldName ?? "Id"
                    guard let externalColumn, !row[externalColumn].isEmpty else {
                        throw APIErrors(APIError("MISSING_ARGUMENT", "\(field) not specified", fields: [field]))
                    }
                    let rest = pairs.filter { $0.0.lowercased() != field.lowercased() }
                    switch try data.upsert(
                        schema.name,
                        field: field,
                        value: row[externalColumn],
                        rest,
                        context: &context
                    )
                    {
                    case .created(let id):
                        job.outcomes.append(.init(id: id, created: true, error: nil, row: row))
                        noteWrite(type: schema.name, created: true)
                    case .updated(let id):
                        job.outcomes.append(.init(id: id, created: false, error: nil, row: row))
                        noteWrite(type: schema.name, created: false)
                    case .multiple(let ids):
                        throw APIErrors(
                            APIError(
                                "DUPLICATE_EXTERNAL_ID",
                                "\(field): more than one record found for external id field: \(ids)",
                                fields: [field]
                            )
                        )
                    }
                default:
                    guard let id15 = SalesforceId.canonical15(sentId), data.record(schema.name, id15: id15) != nil
                    else {
                        throw APIErrors(APIError("ENTITY_IS_DELETED", "entity is deleted"))
                    }
                    data.remove(schema.name, id15: id15)
                    job.outcomes.append(
                        .init(
                            id: id15 + SalesforceId.checksum(of: id15),
                            created: false,
                            error: nil,
                            row: row
                        )
                    )
                }
            } catch {
                let failure = error.errors.first ?? APIError("UNKNOWN_EXCEPTION", "unknown error")
                job.outcomes.append(
                    .init(
                        id: job.operation == "insert" ? "" : sentId,
                        created: false,
                        error: failure,
                        row: row
                    )
                )
                counters.errorsByCode[failure.code, default: 0] += 1
            }
        }
        job.state = .jobComplete
    }
}
