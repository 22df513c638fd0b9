/// A bulk import's status (`…/batch/{batchId}.json` or `…/import/{batchId}/status.json`, `result[0]`).
public struct MarketoBulkImportStatus: Sendable, Hashable, Decodable {
    /// The batch id.
    public var batchId: Int
    /// Queued, Importing, Complete or Failed.
    public var state: MarketoBulkImportState
    /// Rows imported (`numOfLeadsProcessed`, or `numOfObjectsProcessed` for custom objects).
    public var processedRows: Int
    /// Rows in the failures file.
    public var failedRows: Int
    /// Rows in the warnings file.
    public var warningRows: Int
    /// Marketo's summary, such as `Import completed with errors, 2 records imported (2 members), 1 failed`.
    public var message: String

    /// Creates a status.
    public init(
        batchId: Int,
        state: MarketoBulkImportState,
        processedRows: Int,
        failedRows: Int,
        warningRows: Int,
        message: String
    ) {
        self.batchId = batchId
        self.state = state
        self.processedRows = processedRows
        self.failedRows = failedRows
        self.warningRows = warningRows
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case batchId, status, numOfLeadsProcessed, numOfObjectsProcessed, numOfRowsProcessed, numOfRowsFailed
        case numOfRowsWithWarning, message
    }

    /// Decodes a status of any import type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func integer(_ key: CodingKeys) -> Int? {
            if let value = try? container.decodeIfPresent(Int.self, forKey: key) { return value }
            if let text = try? container.decodeIfPresent(String.self, forKey: key) { return Int(text) }
            return nil
        }
        batchId = integer(.batchId) ?? 0
        state = MarketoBulkImportState(rawValue: (try? container.decodeIfPresent(String.self, forKey: .status)) ?? "")
        processedRows =
            integer(.numOfLeadsProcessed) ?? integer(.numOfObjectsProcessed) ?? integer(.numOfRowsProcessed) ?? 0
        failedRows = integer(.numOfRowsFailed) ?? 0
        warningRows = integer(.numOfRowsWithWarning) ?? 0
        message = (try? container.decodeIfPresent(String.self, forKey: .message)) ?? ""
    }
}
