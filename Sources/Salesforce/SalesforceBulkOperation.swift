// MARK: - SalesforceBulkOperation

/// What a Bulk API 2.0 ingest job does with its rows.
public enum SalesforceBulkOperation: Sendable, Hashable {
    /// Create every row.
    case insert
    /// Update rows by their `Id` column.
    case update
    /// Create or update rows by an External ID field (`externalIdFieldName`).
    case upsert(externalIdField: String)
    /// Delete rows by `Id` (to the recycle bin).
    case delete
    /// Delete rows by `Id` permanently.
    case hardDelete

    /// The `operation` value of the job.
    public var name: String {
        switch self {
        case .insert: "insert"
        case .update: "update"
        case .upsert: "upsert"
        case .delete: "delete"
        case .hardDelete: "hardDelete"
        }
    }

    /// The `externalIdFieldName` of an upsert.
    public var externalIdField: String? {
        if case .upsert(let field) = self { return field }
        return nil
    }
}
