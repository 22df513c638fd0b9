public import Foundation

// MARK: - SalesforceClient + BulkIngest

extension SalesforceClient {
    /// The largest CSV upload (100 MB raw; 150 MB after Salesforce's base64 encoding).
    public static let bulkUploadByteLimit = 100_000_000

    private struct CreateJobBody: Encodable {
        var object: String
        var operation: String
        var externalIdFieldName: String?
        var contentType = "CSV"
        var lineEnding: String
        var columnDelimiter = "COMMA"
    }

    private struct StateBody: Encodable {
        var state: String
    }

    /// Creates an ingest job: `POST /jobs/ingest`.
    /// - Parameters:
    ///   - object: The sObject type.
    ///   - operation: The operation; an upsert names its External ID field.
    ///   - lineEnding: `LF`, or `CRLF` when values may hold a bare carriage return.
    /// - Returns: The job, `Open`.
    public func createIngestJob(
        object: String,
        operation: SalesforceBulkOperation,
        lineEnding: String = "LF"
    ) async throws(SalesforceError) -> SalesforceBulkJob {
        let body = CreateJobBody(
            object: object,
            operation: operation.name,
            externalIdFieldName: operation.externalIdField,
            lineEnding: lineEnding
        )
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: .bulkCreate,
                method: "POST",
                path: "\(configuration.dataPath)/jobs/ingest",
                body: try Self.encode(body, endpoint: .bulkCreate),
                contentType: "application/json"
            )
        )
        return try Self.decode(SalesforceBulkJob.self, from: reply, endpoint: .bulkCreate)
    }

    /// Uploads a job's CSV (once per job): `PUT {contentUrl}` with `text/csv`. Expects 201.
    /// - Parameters:
    ///   - job: The open job.
    ///   - csv: The CSV, header first.
    ///   - recordCount: The rows it holds (for the call record).
    public func uploadIngestData(
        _ job: SalesforceBulkJob,
        csv: Data,
        recordCount: Int
    ) async throws(SalesforceError) {
        guard csv.count <= Self.bulkUploadByteLimit else {
            throw SalesforceError(
                endpoint: .bulkUpload,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "the CSV is \(csv.count) bytes; one job takes at most \(Self.bulkUploadByteLimit)"
            )
        }
        let contentPath = job.contentURL.map { $0.hasPrefix("/") ? $0 : "/" + $0 }
        _ = try await send(
            SalesforceAPIRequest(
                endpoint: .bulkUpload,
                method: "PUT",
                path: contentPath ?? "\(configuration.dataPath)/jobs/ingest/\(Self.pathSegment(job.id))/batches",
                body: csv,
                contentType: "text/csv",
                recordCount: recordCount
            )
        )
    }

    /// Closes a job so that Salesforce processes it: `PATCH /jobs/ingest/{id}` `{"state":"UploadComplete"}`.
    public func closeIngestJob(id: String) async throws(SalesforceError) -> SalesforceBulkJob {
        try await setIngestJobState(id: id, state: "UploadComplete")
    }

    /// Aborts a job: `PATCH /jobs/ingest/{id}` `{"state":"Aborted"}`.
    public func abortIngestJob(id: String) async throws(SalesforceError) -> SalesforceBulkJob {
        try await setIngestJobState(id: id, state: "Aborted")
    }

    private func setIngestJobState(id: String, state: String) async throws(SalesforceError) -> SalesforceBulkJob {
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: .bulkState,
                method: "PATCH",
                path: "\(configuration.dataPath)/jobs/ingest/\(Self.pathSegment(id))",
                body: try Self.encode(StateBody(state: state), endpoint: .bulkState),
                contentType: "application/json"
            )
        )
        return try Self.decode(SalesforceBulkJob.self, from: reply, endpoint: .bulkState)
    }

    /// Reads a job's state and counts: `GET /jobs/ingest/{id}`.
    public func ingestJob(id: String) async throws(SalesforceError) -> SalesforceBulkJob {
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: .bulkInfo,
                method: "GET",
                path: "\(configuration.dataPath)/jobs/ingest/\(Self.pathSegment(id))"
            )
        )
        return try Self.decode(SalesforceBulkJob.self, from: reply, endpoint: .bulkInfo)
    }

    /// Polls a job until it is `JobComplete`, `Failed` or `Aborted`.
    /// - Parameters:
    ///   - id: The job id.
    ///   - pollInterval: The time between polls (each poll is an API call).
    ///   - timeout: How long to wait in all.
    /// - Throws: ``SalesforceError`` with ``SalesforceError/Code/bulkJobTimeout`` (retry) when the time is up,
    ///   or the failure of a poll.
    public func waitForIngestJob(
        id: String,
        pollInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(600)
    ) async throws(SalesforceError) -> SalesforceBulkJob {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let job = try await ingestJob(id: id)
            if job.state.isFinal { return job }
            guard clock.now + pollInterval <= deadline else {
                throw SalesforceError(
                    endpoint: .bulkInfo,
                    httpStatus: nil,
                    errorCode: SalesforceError.Code.bulkJobTimeout,
                    message: "job \(id) is still \(job.state.rawValue) after \(timeout)"
                )
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw SalesforceError(
                    endpoint: .bulkInfo,
                    httpStatus: nil,
                    errorCode: SalesforceError.Code.bulkJobTimeout,
                    message: "waiting for job \(id) was cancelled while it was \(job.state.rawValue)"
                )
            }
        }
    }

    /// The rows that went through: `GET /jobs/ingest/{id}/successfulResults/`.
    public func successfulResults(jobId: String) async throws(SalesforceError) -> [SalesforceBulkSuccessfulRow] {
        let table = try await resultTable(jobId: jobId, file: "successfulResults")
        return table.map { row in
            var fields = row
            let id = fields.removeValue(forKey: "sf__Id") ?? ""
            let created = fields.removeValue(forKey: "sf__Created")?.lowercased() == "true"
            return SalesforceBulkSuccessfulRow(id: id, created: created, fields: fields)
        }
    }

    /// The rows that failed, with their parsed errors: `GET /jobs/ingest/{id}/failedResults/`.
    public func failedResults(jobId: String) async throws(SalesforceError) -> [SalesforceBulkFailedRow] {
        let table = try await resultTable(jobId: jobId, file: "failedResults")
        return table.map { row in
            var fields = row
            let id = fields.removeValue(forKey: "sf__Id").flatMap { $0.isEmpty ? nil : $0 }
            let error = SalesforceRowError(bulkErrorCell: fields.removeValue(forKey: "sf__Error") ?? "")
            return SalesforceBulkFailedRow(id: id, error: error, fields: fields)
        }
    }

    /// The rows a failed or aborted job never reached: `GET /jobs/ingest/{id}/unprocessedrecords/`.
    public func unprocessedRecords(jobId: String) async throws(SalesforceError) -> [[String: String]] {
        try await resultTable(jobId: jobId, file: "unprocessedrecords")
    }

    private func resultTable(jobId: String, file: String) async throws(SalesforceError) -> [[String: String]] {
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: .bulkResults,
                method: "GET",
                path: "\(configuration.dataPath)/jobs/ingest/\(Self.pathSegment(jobId))/\(file)/",
                accept: "text/csv"
            )
        )
        guard let table = CSVText.readTable(reply.text) else {
            throw SalesforceError(
                endpoint: .bulkResults,
                httpStatus: reply.status,
                errorCode: SalesforceError.Code.unexpectedResponse,
                message: "the \(file) of job \(jobId) is not valid CSV (an unclosed quote)"
            )
        }
        return table.rows
    }

    // MARK: - The whole job

    /// Upserts records through one Bulk API 2.0 job, end to end: create, upload CSV, close, poll, read the
    /// successful, failed and unprocessed results, and match them back to the input by the external id (the
    /// result files are not in upload order).
    ///
    /// CSV cells: a missing field is an empty cell (left unchanged), `.null` is `#N/A` (cleared).
    /// - Parameters:
    ///   - records: The records, each with `externalIdField` set (compared without case, as the field is).
    ///   - object: The sObject type.
    ///   - externalIdField: The External ID field.
    ///   - pollInterval: The time between state polls.
    ///   - timeout: How long to wait for the job.
    /// - Returns: The final job and one result per record, in input order.
    /// - Throws: ``SalesforceError`` when a call fails, the job does not finish in time, or there are no records
    ///   or a record lacks its key. A job that ends `Failed` is not thrown: its rows come back failed or
    ///   unprocessed.
    public func bulkUpsert(
        _ records: [SalesforceRecord],
        object: String,
        externalIdField: String,
        pollInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(600)
    ) async throws(SalesforceError) -> SalesforceBulkIngestResult {
        guard !records.isEmpty else {
            throw SalesforceError(
                endpoint: .bulkCreate,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "a bulk upsert needs at least one record"
            )
        }
        let keys = try records.enumerated().map { (index, record) throws(SalesforceError) -> String in
            guard let key = record[externalIdField], key != .null, !key.csvText.isEmpty else {
                throw SalesforceError(
                    endpoint: .bulkCreate,
                    httpStatus: nil,
                    errorCode: SalesforceError.Code.invalidRequest,
                    message: "record \(index) of a bulk upsert has no \(externalIdField)"
                )
            }
            return key.csvText
        }
        let (csv, lineEnding) = Self.csv(records, keyField: externalIdField)
        var job = try await createIngestJob(
            object: object,
            operation: .upsert(externalIdField: externalIdField),
            lineEnding: lineEnding
        )
        do {
            try await uploadIngestData(job, csv: Data(csv.utf8), recordCount: records.count)
            job = try await closeIngestJob(id: job.id)
        } catch {
            // Leave no open job behind (best effort: the abort may fail for the same reason).
            _ = try? await abortIngestJob(id: job.id)
            throw error
        }
        job = try await waitForIngestJob(id: job.id, pollInterval: pollInterval, timeout: timeout)
        logger.debug(
            "Salesforce bulk job finished",
            metadata: [
                "salesforce.job": "\(job.id)", "salesforce.state": "\(job.state.rawValue)",
                "salesforce.records": "\(records.count)", "salesforce.failed": "\(job.numberRecordsFailed ?? 0)",
            ]
        )

        var outcomes: [String: [SalesforceBulkRowResult]] = [:]
        func column(_ fields: [String: String]) -> String {
            let lowered = externalIdField.lowercased()
            return (fields.first { $0.key.lowercased() == lowered }?.value ?? "").lowercased()
        }
        for row in try await successfulResults(jobId: job.id) {
            outcomes[column(row.fields), default: []].append(.succeeded(id: row.id, created: row.created))
        }
        for row in try await failedResults(jobId: job.id) {
            outcomes[column(row.fields), default: []].append(.failed(row.error))
        }
        if job.state != .jobComplete {
            for row in try await unprocessedRecords(jobId: job.id) {
                outcomes[column(row), default: []].append(.unprocessed)
            }
        }
        let rows = keys.map { key -> SalesforceBulkRowResult in
            let lowered = key.lowercased()
            guard var list = outcomes[lowered], !list.isEmpty else { return .missing }
            let first = list.removeFirst()
            outcomes[lowered] = list
            return first
        }
        return SalesforceBulkIngestResult(job: job, rows: rows)
    }

    /// The CSV of records: the key column first, then every other field in name order; and the line ending
    /// (`CRLF` when a value holds a carriage return).
    static func csv(_ records: [SalesforceRecord], keyField: String) -> (text: String, lineEnding: String) {
        var names: Set<String> = []
        for record in records { names.formUnion(record.fields.keys) }
        let lowered = keyField.lowercased()
        let others = names.filter { $0.lowercased() != lowered }.sorted()
        let header = [keyField] + others
        let rows = records.map { record in header.map { record[$0]?.csvText ?? "" } }
        let needsCRLF = rows.contains { $0.contains { $0.unicodeScalars.contains("\r") } }
        let lineEnding = needsCRLF ? "CRLF" : "LF"
        return (CSVText.write(header: header, rows: rows, lineEnding: needsCRLF ? "\r\n" : "\n"), lineEnding)
    }
}
