import Foundation

// The calls are accounted under the nearest existing `MarketoCallEndpoint` cases (create and enqueue as
// `importProgramMembers`, status as `bulkImportStatus`, file as `bulkImportFailures`) until the enum gains export
// cases; adding cases there would break exhaustive switches in other modules.
extension MarketoClient {
    // MARK: - Program member exports

    /// Creates a program member export: `POST /bulk/v1/program/members/export/create.json` with the programs as
    /// the filter (`programIds`, at most 10 a job) and CSV as the format. The job still has to be enqueued.
    /// - Parameters:
    ///   - programIds: The programs (1 to 10).
    ///   - fields: Member fields (`programId`, `leadId`, `statusName`, ...) and lead fields (`email`, ...).
    /// - Returns: The created job (`Created`).
    /// - Throws: ``MarketoError``; 1029 (too many jobs, daily export quota) is class retry or wait.
    public func createProgramMemberExport(programIds: [Int], fields: [String]) async throws -> MarketoBulkExportJob {
        guard (1...10).contains(programIds.count) else {
            throw MarketoError(
                code: .invalidRequest,
                failureClass: .permanent,
                endpoint: .importProgramMembers,
                message: "a program member export takes 1 to 10 programs, not \(programIds.count)"
            )
        }
        let filter: MarketoJSON =
            programIds.count == 1
            ? .object(["programId": .int(programIds[0])])
            : .object(["programIds": .array(programIds.map { .int($0) })])
        let body = MarketoJSON.object([
            "format": .string("CSV"),
            "fields": .array(fields.map { .string($0) }),
            "filter": filter,
        ])
        let request = try jsonRequest(
            .importProgramMembers,
            path: "/bulk/v1/program/members/export/create.json",
            body: body,
            records: 0
        )
        return try await exportJob(request)
    }

    /// Queues a created export: `POST /bulk/v1/program/members/export/{exportId}/enqueue.json`.
    /// - Throws: ``MarketoError``.
    public func enqueueProgramMemberExport(_ job: MarketoBulkExportJob) async throws -> MarketoBulkExportJob {
        let request = MarketoHTTPRequest(
            endpoint: .importProgramMembers,
            method: "POST",
            path: "/bulk/v1/program/members/export/\(Self.pathSegment(job.exportId))/enqueue.json"
        )
        return try await exportJob(request)
    }

    /// An export's status: `GET /bulk/v1/program/members/export/{exportId}/status.json`.
    /// - Throws: ``MarketoError``.
    public func programMemberExportStatus(_ job: MarketoBulkExportJob) async throws -> MarketoBulkExportJob {
        let request = MarketoHTTPRequest(
            endpoint: .bulkImportStatus,
            method: "GET",
            path: "/bulk/v1/program/members/export/\(Self.pathSegment(job.exportId))/status.json"
        )
        return try await exportJob(request)
    }

    /// Polls an export until it is finished.
    /// - Parameters:
    ///   - job: The enqueued job.
    ///   - pollInterval: The time between polls (Marketo updates the status at most once a minute).
    ///   - timeout: How long to wait at most.
    ///   - progress: Called with every status read.
    /// - Returns: The final status.
    /// - Throws: ``MarketoError`` from a poll, code ``MarketoError/Code/timedOut`` when the job is still running at
    ///   the timeout, `CancellationError` when the task is cancelled.
    public func waitForProgramMemberExport(
        _ job: MarketoBulkExportJob,
        pollInterval: Duration = .seconds(30),
        timeout: Duration = .seconds(3 * 3_600),
        progress: @Sendable (MarketoBulkExportJob) -> Void = { _ in }
    ) async throws -> MarketoBulkExportJob {
        let deadline = ContinuousClock.now + timeout
        while true {
            let status = try await programMemberExportStatus(job)
            progress(status)
            if status.isFinished { return status }
            guard ContinuousClock.now + pollInterval <= deadline else {
                throw MarketoError(
                    code: .timedOut,
                    failureClass: .retry,
                    endpoint: .bulkImportStatus,
                    message: "export \(job.exportId) still \(status.status) after \(timeout)"
                )
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// A completed export's file: `GET /bulk/v1/program/members/export/{exportId}/file.json`, parsed (the header
    /// holds the field names).
    /// - Throws: ``MarketoError``; a job that is not complete (or has no file) answers 404, class retry.
    public func programMemberExportFile(_ job: MarketoBulkExportJob) async throws -> MarketoDelimitedFile {
        let request = MarketoHTTPRequest(
            endpoint: .bulkImportFailures,
            method: "GET",
            path: "/bulk/v1/program/members/export/\(Self.pathSegment(job.exportId))/file.json"
        )
        return try await authorizedCall(request) { response in
            guard response.status == 200 || response.status == 206 else {
                throw httpError(response, endpoint: request.endpoint)
            }
            return (MarketoDelimitedFile(parsing: response.text, separator: ","), 0, nil)
        }
    }

    private func exportJob(_ request: MarketoHTTPRequest) async throws -> MarketoBulkExportJob {
        let envelope = try await envelopeCall(request, of: MarketoBulkExportJob.self)
        guard let job = envelope.result?.first else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: request.endpoint,
                httpStatus: 200,
                message: "the export answer holds no job",
                requestId: envelope.requestId
            )
        }
        return job
    }
}
