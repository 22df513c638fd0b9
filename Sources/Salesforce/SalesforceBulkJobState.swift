// MARK: - SalesforceBulkJobState

/// A Bulk API 2.0 ingest job's state: `Open → UploadComplete → InProgress → JobComplete | Failed | Aborted`.
public enum SalesforceBulkJobState: String, Sendable, Hashable, Codable {
    /// Created; data may be uploaded.
    case open = "Open"
    /// Closed by the client; queued for processing.
    case uploadComplete = "UploadComplete"
    /// Being processed.
    case inProgress = "InProgress"
    /// Done: read the successful and failed results.
    case jobComplete = "JobComplete"
    /// The job failed as a whole (`errorMessage`); unprocessed rows can be read.
    case failed = "Failed"
    /// Aborted by the client.
    case aborted = "Aborted"

    /// Whether the job will not change any more.
    public var isFinal: Bool {
        switch self {
        case .jobComplete, .failed, .aborted: true
        case .open, .uploadComplete, .inProgress: false
        }
    }
}
