// MARK: - SalesforceBulkSuccessfulRow

/// A row of a job's `successfulResults` CSV: `sf__Id`, `sf__Created` and the uploaded columns.
public struct SalesforceBulkSuccessfulRow: Sendable, Hashable {
    /// The record id.
    public var id: String
    /// Whether the row created a record (false: updated one).
    public var created: Bool
    /// The uploaded columns by header name.
    public var fields: [String: String]

    /// Creates a row.
    public init(id: String, created: Bool, fields: [String: String]) {
        self.id = id
        self.created = created
        self.fields = fields
    }
}
