// MARK: - SalesforceBulkRowResult

/// What became of one uploaded row of a Bulk API 2.0 job, matched back from the result files.
public enum SalesforceBulkRowResult: Sendable, Hashable {
    /// In `successfulResults`.
    case succeeded(id: String, created: Bool)
    /// In `failedResults`.
    case failed(SalesforceRowError)
    /// In `unprocessedrecords` (the job failed or was aborted before reaching it): send it again.
    case unprocessed
    /// In no result file (should not happen; treat as not delivered).
    case missing

    /// What to do about the row; nil when it succeeded.
    public var classification: SalesforceError.Classification? {
        switch self {
        case .succeeded: nil
        case .failed(let error): error.classification
        case .unprocessed, .missing: .retry
        }
    }
}
