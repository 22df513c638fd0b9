import Foundation

extension MarketoStore {
    // MARK: - Create

    /// `POST /bulk/v1/leads.json`, `/bulk/v1/program/{programId}/members/import.json`,
    /// `/bulk/v1/customobjects/{apiName}/import.json`: multipart with a `file` part; queued FIFO, 1016 beyond
    /// the queue limit (running jobs included).
    func createImport(
        _ sub: inout SubscriptionState,
        _ endpoint: MarketoEndpoint,
        _ request: SandboxRequest,
        now: Date,
        batchId: inout Int
    ) throws(ReplyError) -> SandboxReply {
        guard request.contentType == "multipart/form-data" else { throw ReplyError(.failure("612")) }
        guard !request.parts.isEmpty else { throw ReplyError(.failure("613")) }
        guard let file = request.parts.first(where: { $0.name == "file" }) else {
            throw ReplyError(.failure("701", "file cannot be blank"))
        }
        let format = request.field("format") ?? "csv"
        guard let delimiter = DelimitedText.delimiter(forFormat: format) else {
            throw ReplyError(.failure("1003", "Invalid format '\(format)'"))
        }
        let limits = sub.setup.limits
        let active = sub.imports.filter { $0.status == "Queued" || $0.status == "Importing" }.count
        guard active < limits.bulkImportQueued else {
            throw ReplyError(.failure("1016", "Too many imports"))
        }
        let text = String(decoding: file.data, as: UTF8.self)
        let rows = DelimitedText.parse(text, delimiter: delimiter)
        var job = SandboxBulkImport(
            batchId: batchId,
            kind: "leads",
            objectApiName: nil,
            programId: nil,
            programMemberStatus: nil,
            lookupField: nil,
            format: format.lowercased(),
            status: "Queued",
            rows: max(0, rows.count - 1),
            processed: 0,
            failed: 0,
            warned: 0,
            message: "Queued for processing",
            failuresFile: nil,
            warningsFile: nil,
            uploadedFile: text,
            createdAt: now,
            startedAt: nil,
            finishedAt: nil
        )
        switch endpoint {
        case .importMembers:
            let (program, channel) = try programAndChannel(sub, request)
            guard let status = request.field("programMemberStatus"), !status.isEmpty else {
                throw ReplyError(.failure("701", "programMemberStatus cannot be blank"))
            }
            guard channel.statuses.contains(where: { $0.name == status }) else {
                throw ReplyError(.failure("1025", "Program status '\(status)' not found"))
            }
            job.kind = "programMembers"
            job.programId = program.id
            job.programMemberStatus = status
        case .importCustomObjects:
            job.kind = "customObjects"
            job.objectApiName = try customObject(sub, request).name
        default:
            job.lookupField = request.field("lookupField") ?? "email"
        }
        batchId += 1
        sub.imports.append(job)
        var result: [(String, JSONValue)] = [("batchId", .int(job.batchId))]
        if job.kind == "customObjects" {
            result += [("status", .string("Queued")), ("objectApiName", .string(job.objectApiName ?? ""))]
        } else {
            result += [("importId", .string(String(job.batchId))), ("status", .string("Queued"))]
        }
        return .success([.object(result)], records: job.rows)
    }

    // MARK: - Status and files

    /// `GET …/batch/{batchId}.json` and `…/import/{batchId}/status.json`.
    func importStatus(
        _ sub: SubscriptionState,
        _ endpoint: MarketoEndpoint,
        _ request: SandboxRequest
    )
        throws(ReplyError) -> SandboxReply
    {
        let job = try importJob(sub, endpoint, request)
        var members: [(String, JSONValue)] = [("batchId", .int(job.batchId))]
        if job.kind == "customObjects" {
            members += [
                ("operation", .string("import")), ("status", .string(job.status)),
                ("objectApiName", .string(job.objectApiName ?? "")),
                ("numOfObjectsProcessed", .int(job.processed)), ("numOfRowsFailed", .int(job.failed)),
                ("numOfRowsWithWarning", .int(job.warned)),
            ]
            if let start = job.startedAt, let end = job.finishedAt {
                members.append(("importTime", .string("\(Int(end.timeIntervalSince(start).rounded())) second(s)")))
            }
            members.append(("message", .string(job.message)))
        } else {
            members += [
                ("importId", .string(String(job.batchId))), ("status", .string(job.status)),
                ("numOfLeadsProcessed", .int(job.processed)), ("numOfRowsFailed", .int(job.failed)),
                ("numOfRowsWithWarning", .int(job.warned)), ("message", .string(job.message)),
            ]
        }
        return .success([.object(members)])
    }

    /// `…/failures.json` and `…/warnings.json`: the rows with a reason column, as raw text in the job's format.
    /// Custom object jobs answer 404 when there is no such file; lead and member jobs an empty body.
    func importFile(
        _ sub: SubscriptionState,
        _ endpoint: MarketoEndpoint,
        _ request: SandboxRequest,
        failures: Bool
    )
        throws(ReplyError) -> SandboxReply
    {
        let job = try importJob(sub, endpoint, request)
        let file = failures ? job.failuresFile : job.warningsFile
        guard let file else {
            if job.kind == "customObjects" { return .text(404, "File not found") }
            return .text(200, "", contentType: "text/csv")
        }
        var reply = SandboxReply.text(200, file, contentType: job.format == "csv" ? "text/csv" : "text/plain")
        reply.records = max(
            0,
            DelimitedText.parse(file, delimiter: DelimitedText.delimiter(forFormat: job.format) ?? ",").count - 1
        )
        return reply
    }

    private func importJob(
        _ sub: SubscriptionState,
        _ endpoint: MarketoEndpoint,
        _ request: SandboxRequest
    )
        throws(ReplyError) -> SandboxBulkImport
    {
        let kind: String
        switch endpoint {
        case .importMembersStatus, .importMembersFailures, .importMembersWarnings: kind = "programMembers"
        case .importCustomObjectsStatus, .importCustomObjectsFailures, .importCustomObjectsWarnings:
            kind = "customObjects"
        default: kind = "leads"
        }
        guard let id = request.intParameter("batchId"),
            let job = sub.imports.first(where: {
                $0.batchId == id && $0.kind == kind
                    && (kind != "customObjects" || $0.objectApiName == request.parameters["apiName"])
            })
        else {
            throw ReplyError(.failure("1003", "Invalid batch id '\(request.parameters["batchId"] ?? "")'"))
        }
        return job
    }

    // MARK: - Processing

    /// Moves import and export jobs along to `now`: a job runs for its configured duration, at most the
    /// configured number run at once, queued ones start FIFO as slots free up. Imports take effect when they
    /// complete.
    func advanceBulkJobs(_ sub: inout SubscriptionState, now: Date) {
        let limits = sub.setup.limits
        let importDuration = scaled(limits.bulkImportSeconds)
        while true {
            let running = sub.imports.indices.filter { sub.imports[$0].status == "Importing" }
            if let next = running.min(by: { sub.imports[$0].startedAt ?? now < sub.imports[$1].startedAt ?? now }),
                let started = sub.imports[next].startedAt, started.addingTimeInterval(importDuration) <= now
            {
                let end = started.addingTimeInterval(importDuration)
                completeImport(&sub, index: next, at: end)
                if let queued = sub.imports.firstIndex(where: { $0.status == "Queued" }) {
                    sub.imports[queued].status = "Importing"
                    sub.imports[queued].message = "Import in progress"
                    sub.imports[queued].startedAt = max(end, sub.imports[queued].createdAt)
                }
                continue
            }
            if running.count < limits.bulkImportRunning,
                let queued = sub.imports.firstIndex(where: { $0.status == "Queued" })
            {
                sub.imports[queued].status = "Importing"
                sub.imports[queued].message = "Import in progress"
                sub.imports[queued].startedAt = sub.imports[queued].createdAt
                continue
            }
            break
        }
        advanceExports(&sub, now: now)
    }

    private func completeImport(_ sub: inout SubscriptionState, index: Int, at end: Date) {
        var job = sub.imports[index]
        job.finishedAt = end
        guard let delimiter = DelimitedText.delimiter(forFormat: job.format) else { return }
        var rows = DelimitedText.parse(job.uploadedFile, delimiter: delimiter)
        guard !rows.isEmpty else {
            job.status = "Failed"
            job.message = "Import failed: the file is empty"
            sub.imports[index] = job
            return
        }
        let header = rows.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        var failures: [[String]] = []
        var warnings: [[String]] = []
        var processed = 0
        let outcome: Result<Void, ImportFailure>
        switch job.kind {
        case "programMembers":
            outcome = importMembers(
                &sub,
                job,
                header,
                rows,
                at: end,
                failures: &failures,
                warnings: &warnings,
                processed: &processed
            )
        case "customObjects":
            outcome = importCustomObjects(
                &sub,
                job,
                header,
                rows,
                at: end,
                failures: &failures,
                warnings: &warnings,
                processed: &processed
            )
        default:
            outcome = importLeads(
                &sub,
                job,
                header,
                rows,
                at: end,
                failures: &failures,
                warnings: &warnings,
                processed: &processed
            )
        }
        if case .failure(let failure) = outcome {
            job.status = "Failed"
            job.message = "Import failed: \(failure.message)"
            sub.imports[index] = job
            return
        }
        job.status = "Complete"
        job.processed = processed
        job.failed = failures.count
        job.warned = warnings.count
        if !failures.isEmpty {
            job.failuresFile = DelimitedText.render(
                [header + ["Import Failure Reason"]] + failures,
                delimiter: delimiter
            )
        }
        if !warnings.isEmpty {
            job.warningsFile = DelimitedText.render(
                [header + ["Import Warning Reason"]] + warnings,
                delimiter: delimiter
            )
        }
        var message =
            failures.isEmpty
            ? "Import succeeded, \(processed) records imported"
            : "Import completed with errors, \(processed) records imported"
        if job.kind == "programMembers" { message += " (\(processed) members)" }
        if !failures.isEmpty { message += ", \(failures.count) failed" }
        if !warnings.isEmpty { message += ", \(warnings.count) warning\(warnings.count == 1 ? "" : "s")." }
        job.message = message
        sub.imports[index] = job
    }

    /// A reason that fails a whole import (a header problem).
    struct ImportFailure: Error {
        var message: String
    }

    // MARK: - Rows

    private func leadValues(
        _ sub: SubscriptionState,
        _ header: [String],
        _ row: [String]
    ) -> Result<([String: SandboxValue], [String]), RecordError> {
        let fields = sub.leadFieldsByName
        var values: [String: SandboxValue] = [:]
        var truncated: [String] = []
        for (column, cell) in zip(header, row) {
            guard let field = fields[column], column != "id", field.updateable else { continue }
            if field.dataType == "email", !cell.isEmpty, !FieldValidation.isEmail(cell) {
                return .failure(RecordError("1001", "Invalid email address"))
            }
            guard var value = FieldValidation.convert(cell: cell, dataType: field.dataType) else {
                return .failure(RecordError("1001", "Invalid data type in field \(field.displayName)"))
            }
            if let length = field.length, case .string(let s) = value, s.count > length {
                value = .string(String(s.prefix(length)))
                truncated.append(field.displayName)
            }
            values[column] = value
        }
        return .success((values, truncated))
    }

    private func importLeads(
        _ sub: inout SubscriptionState,
        _ job: SandboxBulkImport,
        _ header: [String],
        _ rows: [[String]],
        at end: Date,
        failures: inout [[String]],
        warnings: inout [[String]],
        processed: inout Int
    ) -> Result<Void, ImportFailure> {
        let fields = sub.leadFieldsByName
        let lookup = job.lookupField ?? "email"
        if let unknown = header.first(where: { fields[$0] == nil }) {
            return .failure(ImportFailure(message: "field '\(unknown)' not found"))
        }
        guard let lookupColumn = header.firstIndex(of: lookup) else {
            return .failure(ImportFailure(message: "lookup field '\(lookup)' is not a column"))
        }
        for row in rows {
            guard row.count == header.count else {
                failures.append(row + ["Row has \(row.count) values, the header \(header.count)"])
                continue
            }
            let key = row[lookupColumn]
            guard !key.isEmpty else {
                failures.append(row + ["Value for lookup field '\(lookup)' not found"])
                continue
            }
            let values: [String: SandboxValue]
            let truncated: [String]
            switch leadValues(sub, header, row) {
            case .failure(let error):
                failures.append(row + [error.message ?? "Invalid data"])
                continue
            case .success(let result): (values, truncated) = result
            }
            let matches = leadIds(in: sub, field: lookup, value: .string(key))
            if matches.count > 1 {
                failures.append(row + ["Multiple leads match the lookup criteria"])
                continue
            }
            if let id = matches.first {
                updateLead(&sub, id: id, values: values, now: end)
            } else if lookup == "id" {
                failures.append(row + ["Lead not found"])
                continue
            } else {
                _ = createLead(&sub, values: values, now: end)
            }
            processed += 1
            if !truncated.isEmpty {
                warnings.append(row + ["Value truncated in field \(truncated.joined(separator: ", "))"])
            }
        }
        return .success(())
    }

    private func importMembers(
        _ sub: inout SubscriptionState,
        _ job: SandboxBulkImport,
        _ header: [String],
        _ rows: [[String]],
        at end: Date,
        failures: inout [[String]],
        warnings: inout [[String]],
        processed: inout Int
    ) -> Result<Void, ImportFailure> {
        let fields = sub.leadFieldsByName
        if let unknown = header.first(where: { fields[$0] == nil }) {
            return .failure(ImportFailure(message: "field '\(unknown)' not found"))
        }
        guard let emailColumn = header.firstIndex(of: "email") else {
            return .failure(ImportFailure(message: "the email column is required"))
        }
        guard let programId = job.programId, let program = sub.program(programId),
            let channel = sub.channel(named: program.channel),
            let status = channel.statuses.first(where: { $0.name == job.programMemberStatus })
        else {
            return .failure(ImportFailure(message: "program status not found"))
        }
        for row in rows {
            guard row.count == header.count else {
                failures.append(row + ["Row has \(row.count) values, the header \(header.count)"])
                continue
            }
            guard !row[emailColumn].isEmpty else {
                failures.append(row + ["Value for lookup field 'email' not found"])
                continue
            }
            let values: [String: SandboxValue]
            switch leadValues(sub, header, row) {
            case .failure(let error):
                failures.append(row + [error.message ?? "Invalid data"])
                continue
            case .success(let result): values = result.0
            }
            let matches = sub.leadIds(withEmail: row[emailColumn]).sorted()
            let leadId: Int
            if let first = matches.first {
                leadId = first
                updateLead(&sub, id: leadId, values: values, now: end)
            } else {
                leadId = createLead(&sub, values: values, now: end)
            }
            processed += 1
            if let member = sub.memberships[programId]?[leadId], member.step > 0 {
                if member.step > status.step || member.statusName == status.name {
                    recordHistory(&sub, programId, leadId, status.name, "skipped", "1037", end, source: "bulk")
                    warnings.append(row + ["Lead skipped because it is already in or past this status"])
                    continue
                }
                sub.memberships[programId]?[leadId]?.statusName = status.name
                sub.memberships[programId]?[leadId]?.step = status.step
                recordHistory(&sub, programId, leadId, status.name, "updated", nil, end, source: "bulk")
            } else {
                let acquired = !sub.memberships.values.contains { $0[leadId].map { $0.step > 0 } ?? false }
                sub.memberships[programId, default: [:]][leadId] = SandboxMembership(
                    programId: programId,
                    leadId: leadId,
                    statusName: status.name,
                    step: status.step,
                    reachedSuccess: false,
                    reachedSuccessDate: nil,
                    membershipDate: end,
                    acquiredBy: acquired,
                    history: sub.memberships[programId]?[leadId]?.history ?? []
                )
                recordHistory(&sub, programId, leadId, status.name, "created", nil, end, source: "bulk")
            }
            if status.success, sub.memberships[programId]?[leadId]?.reachedSuccess == false {
                sub.memberships[programId]?[leadId]?.reachedSuccess = true
                sub.memberships[programId]?[leadId]?.reachedSuccessDate = end
            }
        }
        return .success(())
    }

    private func importCustomObjects(
        _ sub: inout SubscriptionState,
        _ job: SandboxBulkImport,
        _ header: [String],
        _ rows: [[String]],
        at end: Date,
        failures: inout [[String]],
        warnings: inout [[String]],
        processed: inout Int
    ) -> Result<Void, ImportFailure> {
        guard let object = sub.setup.customObjects.first(where: { $0.name == job.objectApiName }) else {
            return .failure(ImportFailure(message: "custom object not found"))
        }
        let fields = Dictionary(object.fields.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        if let unknown = header.first(where: { fields[$0] == nil }) {
            return .failure(ImportFailure(message: "field '\(unknown)' not found"))
        }
        for row in rows {
            guard row.count == header.count else {
                failures.append(row + ["Row has \(row.count) values, the header \(header.count)"])
                continue
            }
            var members: [(String, JSONValue)] = []
            var invalid: String?
            for (column, cell) in zip(header, row) where !cell.isEmpty {
                guard let field = fields[column],
                    let value = FieldValidation.convert(cell: cell, dataType: field.dataType)
                else {
                    invalid = "Invalid data type in field \(fields[column]?.displayName ?? column)"
                    break
                }
                members.append((column, value.json))
            }
            if let invalid {
                failures.append(row + [invalid])
                continue
            }
            if object.dedupeFields.contains(where: { field in !members.contains { $0.0 == field } }) {
                failures.append(row + ["missing.dedupe.fields"])
                continue
            }
            var seen = Set<String>()
            switch upsertCustomObject(
                &sub,
                object,
                .object(members),
                action: "createOrUpdate",
                dedupeBy: "dedupeFields",
                seen: &seen,
                now: end
            )
            {
            case .success: processed += 1
            case .failure(let error): failures.append(row + [error.message ?? SandboxReply.message(error.code)])
            }
        }
        return .success(())
    }
}
