// MARK: - SalesforceBulkFailedRow

/// A row of a job's `failedResults` CSV: `sf__Id` (v53+), `sf__Error` and the uploaded columns.
public struct SalesforceBulkFailedRow: Sendable, Hashable {
    /// The record id, when the row matched one.
    public var id: String?
    /// The error parsed from `sf__Error` (`CODE:message:fields --`), classified like a collections row.
    public var error: SalesforceRowError
    /// The uploaded columns by header name.
    public var fields: [String: String]

    /// Creates a row.
    public init(id: String?, error: SalesforceRowError, fields: [String: String]) {
        self.id = id
        self.error = error
        self.fields = fields
    }
}
