import Foundation

extension MarketoClient {
    // MARK: - Creating imports

    /// Bulk lead import: `POST /bulk/v1/leads.json?format=…&lookupField=…` with the file as `multipart/form-data`.
    /// - Parameters:
    ///   - file: The file (header of REST field names, then rows; at most 10 MB).
    ///   - format: The file's format.
    ///   - lookupField: The field that finds existing leads (`id` makes the import update-only).
    ///   - listId: A static list to add the leads to.
    ///   - partitionName: The lead partition.
    /// - Returns: The queued job.
    /// - Throws: ``MarketoError``; a full import queue (1016) or an import in progress (1019) is class retry.
    public func importLeads(
        _ file: MarketoDelimitedFile,
        format: MarketoBulkImportFormat = .csv,
        lookupField: String = "email",
        listId: Int? = nil,
        partitionName: String? = nil
    ) async throws -> MarketoBulkImportJob {
        var query: [(name: String, value: String)] = [("format", format.rawValue), ("lookupField", lookupField)]
        if let listId { query.append(("listId", String(listId))) }
        if let partitionName { query.append(("partitionName", partitionName)) }
        return try await upload(.importLeads, path: "/bulk/v1/leads.json", query: query, file, format, .leads)
    }

    /// Bulk program member import: `POST /bulk/v1/program/{programId}/members/import.json`; every row needs
    /// `email`, and may carry lead fields and program member custom fields.
    /// - Parameters:
    ///   - programId: The program.
    ///   - statusName: The program status every imported member gets (`programMemberStatus`).
    ///   - file: The file.
    ///   - format: The file's format.
    /// - Returns: The queued job.
    /// - Throws: ``MarketoError``.
    public func importProgramMembers(
        programId: Int,
        statusName: String,
        _ file: MarketoDelimitedFile,
        format: MarketoBulkImportFormat = .csv
    ) async throws -> MarketoBulkImportJob {
        try await upload(
            .importProgramMembers,
            path: "/bulk/v1/program/\(programId)/members/import.json",
            query: [("format", format.rawValue), ("programMemberStatus", statusName)],
            file,
            format,
            .programMembers(programId: programId)
        )
    }

    /// Bulk custom object import: `POST /bulk/v1/customobjects/{apiName}/import.json`.
    /// - Parameters:
    ///   - name: The object's API name.
    ///   - file: The file (the dedupe fields in every row).
    ///   - format: The file's format.
    /// - Returns: The queued job.
    /// - Throws: ``MarketoError``.
    public func importCustomObjects(
        name: String,
        _ file: MarketoDelimitedFile,
        format: MarketoBulkImportFormat = .csv
    ) async throws -> MarketoBulkImportJob {
        try await upload(
            .importCustomObjects,
            path: "/bulk/v1/customobjects/\(Self.pathSegment(name))/import.json",
            query: [("format", format.rawValue)],
            file,
            format,
            .customObject(name: name)
        )
    }

    // MARK: - Following imports

    /// A job's status.
    /// - Throws: ``MarketoError``.
    public func bulkImportStatus(_ job: MarketoBulkImportJob) async throws -> MarketoBulkImportStatus {
        let request = MarketoHTTPRequest(endpoint: .bulkImportStatus, method: "GET", path: job.path("status"))
        let envelope = try await envelopeCall(request, of: MarketoBulkImportStatus.self)
        guard let status = envelope.result?.first else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: .bulkImportStatus,
                httpStatus: 200,
                message: "no status for batch \(job.batchId)",
                requestId: envelope.requestId
            )
        }
        return status
    }

    /// Polls a job's status until it is complete or failed (Marketo advises polling every 5 to 30 s).
    /// - Parameters:
    ///   - job: The job.
    ///   - pollInterval: The time between polls.
    ///   - timeout: How long to wait at most.
    /// - Returns: The final status.
    /// - Throws: ``MarketoError`` from a poll, or code ``MarketoError/Code/timedOut`` (class retry) when the
    ///   job is still running at the timeout; `CancellationError` when the task is cancelled.
    public func waitForBulkImport(
        _ job: MarketoBulkImportJob,
        pollInterval: Duration = .seconds(5),
        timeout: Duration = .seconds(3_600)
    ) async throws -> MarketoBulkImportStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            let status = try await bulkImportStatus(job)
            if status.state.isFinished { return status }
            guard ContinuousClock.now + pollInterval <= deadline else {
                throw MarketoError(
                    code: .timedOut,
                    failureClass: .retry,
                    endpoint: .bulkImportStatus,
                    message: "batch \(job.batchId) still \(status.state) after \(timeout)"
                )
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// A job's failures file: the failed rows with an `Import Failure Reason` column. Empty when there is none
    /// (HTTP 404 or an empty body).
    /// - Throws: ``MarketoError``.
    public func bulkImportFailures(_ job: MarketoBulkImportJob) async throws -> MarketoDelimitedFile {
        try await downloadRows(job, endpoint: .bulkImportFailures, suffix: "failures")
    }

    /// A job's warnings file: the rows imported with a warning, with an `Import Warning Reason` column. Empty
    /// when there is none.
    /// - Throws: ``MarketoError``.
    public func bulkImportWarnings(_ job: MarketoBulkImportJob) async throws -> MarketoDelimitedFile {
        try await downloadRows(job, endpoint: .bulkImportWarnings, suffix: "warnings")
    }

    // MARK: - Transfers

    private func upload(
        _ endpoint: MarketoCallEndpoint,
        path: String,
        query: [(name: String, value: String)],
        _ file: MarketoDelimitedFile,
        _ format: MarketoBulkImportFormat,
        _ kind: MarketoBulkImportJob.Kind
    ) async throws -> MarketoBulkImportJob {
        let boundary = "leadsync-\(UUID().uuidString)"
        var body = Data()
        body.append(contentsOf: "--\(boundary)\r\n".utf8)
        body.append(
            contentsOf: "Content-Disposition: form-data; name=\"file\"; filename=\"import.\(format.rawValue)\"\r\n".utf8
        )
        body.append(contentsOf: "Content-Type: \(format.mimeType)\r\n\r\n".utf8)
        body.append(file.data(format: format))
        body.append(contentsOf: "\r\n--\(boundary)--\r\n".utf8)
        let request = MarketoHTTPRequest(
            endpoint: endpoint,
            method: "POST",
            path: path,
            query: query,
            body: body,
            contentType: "multipart/form-data; boundary=\(boundary)",
            records: file.rows.count
        )
        let envelope = try await envelopeCall(request, of: MarketoBulkImportCreated.self)
        guard let created = envelope.result?.first, let batchId = created.batchId else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: endpoint,
                httpStatus: 200,
                message: "the import was accepted without a batchId",
                requestId: envelope.requestId
            )
        }
        return MarketoBulkImportJob(
            batchId: batchId,
            kind: kind,
            format: format,
            status: MarketoBulkImportState(rawValue: created.status ?? "Queued")
        )
    }

    private func downloadRows(
        _ job: MarketoBulkImportJob,
        endpoint: MarketoCallEndpoint,
        suffix: String
    ) async throws -> MarketoDelimitedFile {
        let request = MarketoHTTPRequest(endpoint: endpoint, method: "GET", path: job.path(suffix))
        return try await authorizedCall(request) { response in
            if response.status == 404 { return (MarketoDelimitedFile(header: [], rows: []), 0, nil) }
            guard response.status == 200 else { throw httpError(response, endpoint: endpoint) }
            let looksLikeJSON =
                response.contentType?.contains("json") == true || response.body.first == UInt8(ascii: "{")
            if looksLikeJSON, let envelope = try? JSONDecoder().decode(MarketoBareEnvelope.self, from: response.body),
                envelope.success != nil
            {
                try checkSuccess(
                    success: envelope.success,
                    errors: envelope.errors,
                    requestId: envelope.requestId,
                    request
                )
                return (MarketoDelimitedFile(header: [], rows: []), 0, envelope.requestId)
            }
            return (MarketoDelimitedFile(parsing: response.text, separator: job.format.separator), 0, nil)
        }
    }
}
