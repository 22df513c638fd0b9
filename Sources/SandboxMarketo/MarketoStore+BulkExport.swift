import Foundation

extension MarketoStore {
    // MARK: - Create, enqueue, cancel

    /// `POST /bulk/v1/{leads|program/members}/export/create.json`
    func createExport(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let objectType = request.parameters["obj"] ?? "leads"
        let body = try jsonBody(request)
        let format = (body["format"]?.stringValue ?? "CSV").uppercased()
        guard DelimitedText.delimiter(forFormat: format) != nil else {
            throw ReplyError(.failure("1003", "Invalid format '\(format)'"))
        }
        let fields = body["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !fields.isEmpty else { throw ReplyError(.failure("701", "fields cannot be blank")) }
        let leadFields = Set(sub.setup.leadFields.map(\.name))
        let known = objectType == "leads" ? leadFields : leadFields.union(Self.memberExportFields)
        if let unknown = fields.first(where: { !known.contains($0) }) {
            throw ReplyError(.failure("1003", "Invalid field '\(unknown)'"))
        }
        guard let filter = body["filter"], filter.objectMembers?.isEmpty == false else {
            throw ReplyError(.failure("1003", "filter is required"))
        }
        try validateExportFilter(sub, objectType, filter)
        var headers: [String: String] = [:]
        for (name, value) in body["columnHeaderNames"]?.objectMembers ?? [] { headers[name] = value.scalarText }
        let job = SandboxBulkExport(
            exportId: UUID().uuidString.lowercased(),
            objectType: objectType,
            status: "Created",
            format: format,
            fields: fields,
            columnHeaderNames: headers,
            filter: filter.serialized(),
            numberOfRecords: 0,
            fileSize: 0,
            fileChecksum: nil,
            errorMsg: nil,
            file: nil,
            createdAt: now,
            queuedAt: nil,
            startedAt: nil,
            finishedAt: nil
        )
        sub.exports.append(job)
        return .success([exportJSON(job)])
    }

    /// Fields a program member export may name besides lead fields.
    static let memberExportFields: Set<String> = [
        "programId", "membershipDate", "statusName", "reachedSuccess", "reachedSuccessDate", "acquiredBy",
        "leadId", "isExhausted", "nurtureCadence", "updatedAt",
    ]

    private func validateExportFilter(
        _ sub: SubscriptionState,
        _ objectType: String,
        _ filter: JSONValue
    )
        throws(ReplyError)
    {
        func checkRange(_ name: String) throws(ReplyError) {
            guard let range = filter[name] else { return }
            guard let start = range["startAt"]?.stringValue.flatMap(MarketoStore.parseDate),
                let end = range["endAt"]?.stringValue.flatMap(MarketoStore.parseDate), start <= end
            else { throw ReplyError(.failure("1003", "Invalid \(name) filter")) }
            guard end.timeIntervalSince(start) <= 31 * 86_400 else {
                throw ReplyError(.failure("1003", "\(name) date range exceeds 31 days"))
            }
        }
        if objectType == "leads" {
            if filter["staticListId"] != nil || filter["staticListName"] != nil || filter["smartListId"] != nil
                || filter["smartListName"] != nil
            {
                throw ReplyError(.failure("1035", "Unsupported filter type"))
            }
            guard filter["createdAt"] != nil || filter["updatedAt"] != nil else {
                throw ReplyError(.failure("1003", "A createdAt or updatedAt filter is required"))
            }
            try checkRange("createdAt")
            try checkRange("updatedAt")
            return
        }
        let ids = exportProgramIds(filter)
        guard !ids.isEmpty, ids.count <= 10 else {
            throw ReplyError(.failure("1003", "programId or 1 to 10 programIds are required"))
        }
        for id in ids where sub.program(id) == nil {
            throw ReplyError(.failure("1003", "Invalid programId \(id)"))
        }
        if let names = filter["statusNames"]?.arrayValue?.compactMap(\.stringValue) {
            let valid = Set(
                ids.compactMap { sub.program($0) }.compactMap { sub.channel(named: $0.channel) }
                    .flatMap { $0.statuses.map(\.name) }
            )
            if names.contains(where: { !valid.contains($0) }) { throw ReplyError(.failure("1003", "Invalid Data")) }
        }
        try checkRange("updatedAt")
    }

    private func exportProgramIds(_ filter: JSONValue) -> [Int] {
        if let id = filter["programId"]?.intValue { return [id] }
        return filter["programIds"]?.arrayValue?.compactMap(\.intValue) ?? []
    }

    /// `POST …/export/{exportId}/enqueue.json`: 1029 when already queued, when 10 jobs are queued (running
    /// ones included, all object types together), or when the day's export volume is spent.
    func enqueueExport(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let index = try exportIndex(sub, request)
        guard sub.exports[index].status == "Created" else {
            throw ReplyError(.failure("1029", "Job already queued"))
        }
        let limits = sub.setup.limits
        let active = sub.exports.filter { $0.status == "Queued" || $0.status == "Processing" }.count
        guard active < limits.bulkExportQueued else { throw ReplyError(.failure("1029", "Too many jobs in queue")) }
        let used = sub.exportBytesPerDay[quotaDay(now)] ?? 0
        guard Double(used) < limits.bulkExportDailyQuotaMB * 1_048_576 else {
            throw ReplyError(
                .failure("1029", "Export daily quota \(JSONValue.format(limits.bulkExportDailyQuotaMB))MB exceeded")
            )
        }
        sub.exports[index].status = "Queued"
        sub.exports[index].queuedAt = now
        return .success([exportJSON(sub.exports[index])])
    }

    /// `POST …/export/{exportId}/cancel.json`
    func cancelExport(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let index = try exportIndex(sub, request)
        if ["Created", "Queued", "Processing"].contains(sub.exports[index].status) {
            sub.exports[index].status = "Cancelled"
            sub.exports[index].finishedAt = now
        }
        return .success([exportJSON(sub.exports[index])])
    }

    // MARK: - Status, file, list

    /// `GET …/export/{exportId}/status.json`
    func exportStatus(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        .success([exportJSON(sub.exports[try exportIndex(sub, request)])])
    }

    /// `GET …/export/{exportId}/file.json`, with `Range: bytes=…` (206); 404 as plain text until completed.
    func exportFile(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let objectType = request.parameters["obj"] ?? "leads"
        guard
            let job = sub.exports.first(where: {
                $0.exportId == request.parameters["exportId"] && $0.objectType == objectType
            }), job.status == "Completed", let file = job.file
        else {
            return .text(404, "File not found")
        }
        let bytes = Array(file.utf8)
        let contentType = job.format == "CSV" ? "text/csv" : "text/plain"
        guard let range = request.range, let (lower, upper) = Self.byteRange(range, size: bytes.count) else {
            var reply = SandboxReply.text(200, file, contentType: contentType)
            reply.records = job.numberOfRecords
            return reply
        }
        var reply = SandboxReply(status: 206, contentType: contentType, body: Data(bytes[lower...upper]))
        reply.contentRange = "bytes \(lower)-\(upper)/\(bytes.count)"
        return reply
    }

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n` within a file of `size` bytes; nil when unusable (the whole file).
    static func byteRange(_ header: String, size: Int) -> (Int, Int)? {
        guard size > 0, header.lowercased().hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst(6).split(separator: ",").first.map(String.init) ?? ""
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty, let suffix = Int(parts[1]), suffix > 0 {
            return (max(0, size - suffix), size - 1)
        }
        guard let lower = Int(parts[0]), lower < size else { return nil }
        let upper = parts[1].isEmpty ? size - 1 : min(Int(parts[1]) ?? size - 1, size - 1)
        return lower <= upper ? (lower, upper) : nil
    }

    /// `GET /bulk/v1/{obj}/export.json?status=Completed,Failed`
    func listExports(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let objectType = request.parameters["obj"] ?? "leads"
        let statuses = Set(list(request.query["status"]))
        let jobs = sub.exports.filter {
            $0.objectType == objectType && (statuses.isEmpty || statuses.contains($0.status))
        }
        let (range, extra) = try page(count: jobs.count, request, scope: "exports:\(objectType)")
        return .success(jobs[range].map(exportJSON), extra: extra)
    }

    private func exportIndex(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> Int {
        let objectType = request.parameters["obj"] ?? "leads"
        guard
            let index = sub.exports.firstIndex(where: {
                $0.exportId == request.parameters["exportId"] && $0.objectType == objectType
            })
        else {
            throw ReplyError(.failure("1003", "Export Id \(request.parameters["exportId"] ?? "") not found"))
        }
        return index
    }

    private func exportJSON(_ job: SandboxBulkExport) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("exportId", .string(job.exportId)), ("format", .string(job.format)), ("status", .string(job.status)),
            ("createdAt", .string(MarketoStore.iso(job.createdAt))),
        ]
        if let queuedAt = job.queuedAt { members.append(("queuedAt", .string(MarketoStore.iso(queuedAt)))) }
        if let startedAt = job.startedAt { members.append(("startedAt", .string(MarketoStore.iso(startedAt)))) }
        if let finishedAt = job.finishedAt { members.append(("finishedAt", .string(MarketoStore.iso(finishedAt)))) }
        if job.status == "Completed" {
            members.append(("numberOfRecords", .int(job.numberOfRecords)))
            members.append(("fileSize", .int(job.fileSize)))
            if let checksum = job.fileChecksum { members.append(("fileChecksum", .string(checksum))) }
        }
        if let error = job.errorMsg { members.append(("errorMsg", .string(error))) }
        return .object(members)
    }

    // MARK: - Processing

    /// Moves exports along: Queued -> Processing (at most the running limit, FIFO) -> Completed after the
    /// configured duration, the file written at completion and counted against the day's export volume.
    func advanceExports(_ sub: inout SubscriptionState, now: Date) {
        let limits = sub.setup.limits
        let duration = scaled(limits.bulkExportSeconds)
        while true {
            let running = sub.exports.indices.filter { sub.exports[$0].status == "Processing" }
            if let next = running.min(by: { sub.exports[$0].startedAt ?? now < sub.exports[$1].startedAt ?? now }),
                let started = sub.exports[next].startedAt, started.addingTimeInterval(duration) <= now
            {
                let end = started.addingTimeInterval(duration)
                completeExport(&sub, index: next, at: end)
                if let queued = sub.exports.firstIndex(where: { $0.status == "Queued" }) {
                    sub.exports[queued].status = "Processing"
                    sub.exports[queued].startedAt = max(end, sub.exports[queued].queuedAt ?? end)
                }
                continue
            }
            if running.count < limits.bulkExportRunning,
                let queued = sub.exports.firstIndex(where: { $0.status == "Queued" })
            {
                sub.exports[queued].status = "Processing"
                sub.exports[queued].startedAt = sub.exports[queued].queuedAt ?? now
                continue
            }
            break
        }
    }

    private func completeExport(_ sub: inout SubscriptionState, index: Int, at end: Date) {
        var job = sub.exports[index]
        let filter = JSONValue.parse(Data(job.filter.utf8)) ?? .object([])
        var rows: [[String]] = [job.fields.map { job.columnHeaderNames[$0] ?? $0 }]
        func inRange(_ date: Date, _ name: String) -> Bool {
            guard let range = filter[name] else { return true }
            let start = range["startAt"]?.stringValue.flatMap(MarketoStore.parseDate) ?? .distantPast
            let stop = range["endAt"]?.stringValue.flatMap(MarketoStore.parseDate) ?? .distantFuture
            return date >= start && date <= stop
        }
        if job.objectType == "leads" {
            for lead in sub.leads.values.sorted(by: { $0.id < $1.id })
            where inRange(lead.createdAt, "createdAt") && inRange(lead.updatedAt, "updatedAt") {
                rows.append(job.fields.map { leadCell(lead, $0) })
            }
        } else {
            let statuses = filter["statusNames"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
            for programId in exportProgramIds(filter) {
                let members = (sub.memberships[programId] ?? [:]).values.filter { $0.step > 0 }
                    .sorted { $0.leadId < $1.leadId }
                for member in members where statuses?.contains(member.statusName) ?? true {
                    guard inRange(member.history.last?.at ?? member.membershipDate, "updatedAt"),
                        let lead = sub.leads[member.leadId]
                    else { continue }
                    rows.append(job.fields.map { memberCell(member, lead, $0) })
                }
            }
        }
        let file = DelimitedText.render(rows, delimiter: DelimitedText.delimiter(forFormat: job.format) ?? ",")
        let bytes = Array(file.utf8)
        job.status = "Completed"
        job.finishedAt = end
        job.file = file
        job.numberOfRecords = rows.count - 1
        job.fileSize = bytes.count
        job.fileChecksum = "sha256:" + SHA256Digest.hex(bytes)
        sub.exportBytesPerDay[quotaDay(end), default: 0] += bytes.count
        sub.exports[index] = job
    }

    private func leadCell(_ lead: SandboxLead, _ field: String) -> String {
        switch field {
        case "id": String(lead.id)
        case "createdAt": MarketoStore.iso(lead.createdAt)
        case "updatedAt": MarketoStore.iso(lead.updatedAt)
        default: lead.fields[field]?.description ?? ""
        }
    }

    private func memberCell(_ member: SandboxMembership, _ lead: SandboxLead, _ field: String) -> String {
        switch field {
        case "programId": String(member.programId)
        case "leadId": String(member.leadId)
        case "membershipDate": MarketoStore.iso(member.membershipDate)
        case "statusName": member.statusName
        case "reachedSuccess": member.reachedSuccess ? "true" : "false"
        case "reachedSuccessDate": member.reachedSuccessDate.map(MarketoStore.iso) ?? ""
        case "acquiredBy": member.acquiredBy ? "true" : "false"
        case "isExhausted": "false"
        case "nurtureCadence": ""
        case "updatedAt": MarketoStore.iso(member.history.last?.at ?? member.membershipDate)
        default: leadCell(lead, field)
        }
    }
}
