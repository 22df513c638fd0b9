// MARK: - SalesforceBulkIngestResult

/// A finished Bulk API 2.0 ingest job and the outcome of every uploaded row, in upload order.
public struct SalesforceBulkIngestResult: Sendable, Hashable {
    /// The job in its final state.
    public var job: SalesforceBulkJob
    /// One result per uploaded record, in the order they were given.
    public var rows: [SalesforceBulkRowResult]

    /// Creates a result.
    public init(job: SalesforceBulkJob, rows: [SalesforceBulkRowResult]) {
        self.job = job
        self.rows = rows
    }
}
