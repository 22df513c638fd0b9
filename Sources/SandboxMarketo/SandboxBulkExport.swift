public import Foundation

/// A bulk export job and its file.
public struct SandboxBulkExport: Sendable, Codable, Equatable {
    /// The export id (a UUID).
    public var exportId: String
    /// `leads` or `program/members`.
    public var objectType: String
    /// `Created`, `Queued`, `Processing`, `Completed`, `Cancelled` or `Failed`.
    public var status: String
    /// `CSV`, `TSV` or `SSV`.
    public var format: String
    /// The exported fields.
    public var fields: [String]
    /// Column header names by field.
    public var columnHeaderNames: [String: String]
    /// The filter as sent (JSON text).
    public var filter: String
    /// Rows in the file.
    public var numberOfRecords: Int
    /// File bytes.
    public var fileSize: Int
    /// `sha256:<hex>` of the file.
    public var fileChecksum: String?
    /// The error message of a failed job.
    public var errorMsg: String?
    /// The file, once completed.
    public var file: String?
    /// When it was created.
    public var createdAt: Date
    /// When it was enqueued.
    public var queuedAt: Date?
    /// When it started processing.
    public var startedAt: Date?
    /// When it finished (completed, failed or was cancelled).
    public var finishedAt: Date?
}
