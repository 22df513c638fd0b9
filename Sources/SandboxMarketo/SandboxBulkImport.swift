public import Foundation

/// A bulk import job and what it produced.
public struct SandboxBulkImport: Sendable, Codable, Equatable {
    /// The batch id.
    public var batchId: Int
    /// `leads`, `programMembers` or `customObjects`.
    public var kind: String
    /// The custom object's API name (custom object imports).
    public var objectApiName: String?
    /// The program id (program member imports).
    public var programId: Int?
    /// The status to set (program member imports).
    public var programMemberStatus: String?
    /// The lookup field (lead imports).
    public var lookupField: String?
    /// `csv`, `tsv` or `ssv`.
    public var format: String
    /// `Queued`, `Importing`, `Complete` or `Failed`.
    public var status: String
    /// Data rows in the file (the header excluded).
    public var rows: Int
    /// Rows imported.
    public var processed: Int
    /// Rows that failed.
    public var failed: Int
    /// Rows imported with a warning.
    public var warned: Int
    /// The status message.
    public var message: String
    /// The failures file (header plus `Import Failure Reason`), nil when no row failed.
    public var failuresFile: String?
    /// The warnings file (header plus `Import Warning Reason`), nil when no row warned.
    public var warningsFile: String?
    /// The file as uploaded.
    public var uploadedFile: String
    /// When it was queued.
    public var createdAt: Date
    /// When it started importing.
    public var startedAt: Date?
    /// When it finished.
    public var finishedAt: Date?
}
