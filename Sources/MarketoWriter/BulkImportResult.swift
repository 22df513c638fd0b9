import Delivery

// MARK: - BulkImportResult

/// How a bulk import ended for the writer.
enum BulkImportResult: Sendable {
    /// The job ran to `Complete`; the rows of the failures file by row key, with Marketo's reason.
    case completed(batchId: Int, failedRows: [String: String])
    /// No row can be counted as imported (the upload, a poll or the job failed); the same failure for every row.
    case failed(DeliveryFailure)
}
