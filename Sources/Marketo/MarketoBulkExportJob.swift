import Foundation

/// A bulk export job (`/bulk/v1/{obj}/export/...`) as Marketo reports it in `create`, `enqueue` and `status`.
public struct MarketoBulkExportJob: Sendable, Hashable, Decodable {
    /// The job's id (a UUID).
    public var exportId: String
    /// `Created`, `Queued`, `Processing`, `Completed`, `Failed`, `Canceled` (or `Cancelled`).
    public var status: String
    /// The file's format (`CSV`, `TSV`, `SSV`).
    public var format: String?
    /// Rows in the file, once completed.
    public var numberOfRecords: Int?
    /// The file's size in bytes, once completed.
    public var fileSize: Int?
    /// `sha256:<hex>` of the file, once completed.
    public var fileChecksum: String?
    /// Why the job failed.
    public var errorMsg: String?

    /// Creates a job description.
    public init(
        exportId: String,
        status: String,
        format: String? = nil,
        numberOfRecords: Int? = nil,
        fileSize: Int? = nil,
        fileChecksum: String? = nil,
        errorMsg: String? = nil
    ) {
        self.exportId = exportId
        self.status = status
        self.format = format
        self.numberOfRecords = numberOfRecords
        self.fileSize = fileSize
        self.fileChecksum = fileChecksum
        self.errorMsg = errorMsg
    }

    /// Whether the file can be downloaded.
    public var isCompleted: Bool { status.lowercased() == "completed" }

    /// Whether the job will not change any more (completed, failed or cancelled; both spellings).
    public var isFinished: Bool {
        ["completed", "failed", "canceled", "cancelled"].contains(status.lowercased())
    }
}
