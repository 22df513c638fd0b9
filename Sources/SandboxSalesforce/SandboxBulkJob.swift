// MARK: - SandboxBulkJob

/// A Bulk API 2.0 ingest job as a test sees it.
public struct SandboxBulkJob: Sendable, Hashable, Codable {
    /// The job id (`750…`).
    public var id: String
    /// The sObject type.
    public var object: String
    /// insert, update, upsert, delete or hardDelete.
    public var operation: String
    /// The upsert key, if any.
    public var externalIdFieldName: String?
    /// Open, UploadComplete, InProgress, JobComplete, Failed or Aborted.
    public var state: String
    /// Rows uploaded.
    public var rowsUploaded: Int
    /// Rows processed so far.
    public var numberRecordsProcessed: Int
    /// Rows that failed.
    public var numberRecordsFailed: Int
    /// Why the job failed, if it did.
    public var errorMessage: String?

    init(_ job: BulkJob) {
        self.id = job.id
        self.object = job.object
        self.operation = job.operation
        self.externalIdFieldName = job.externalIdFieldName
        self.state = job.state.rawValue
        self.rowsUploaded = job.table?.rows.count ?? 0
        self.numberRecordsProcessed = job.processedCount
        self.numberRecordsFailed = job.failedCount
        self.errorMessage = job.errorMessage
    }
}
