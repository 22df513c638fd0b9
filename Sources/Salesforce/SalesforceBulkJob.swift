// MARK: - SalesforceBulkJob

/// A Bulk API 2.0 ingest job's information, as create, close and poll calls return it.
public struct SalesforceBulkJob: Sendable, Hashable, Decodable {
    /// The job id (`750…`).
    public var id: String
    /// The sObject type.
    public var object: String
    /// The operation name (`insert`, `upsert`, ...).
    public var operation: String
    /// The state.
    public var state: SalesforceBulkJobState
    /// The upsert key.
    public var externalIdFieldName: String?
    /// Where to upload the CSV (`services/data/vXX.X/jobs/ingest/{id}/batches`).
    public var contentURL: String?
    /// Rows processed so far.
    public var numberRecordsProcessed: Int?
    /// Rows that failed so far.
    public var numberRecordsFailed: Int?
    /// Why a failed job failed.
    public var errorMessage: String?

    /// Creates job information.
    public init(
        id: String,
        object: String,
        operation: String,
        state: SalesforceBulkJobState,
        externalIdFieldName: String? = nil,
        contentURL: String? = nil,
        numberRecordsProcessed: Int? = nil,
        numberRecordsFailed: Int? = nil,
        errorMessage: String? = nil
    ) {
        self.id = id
        self.object = object
        self.operation = operation
        self.state = state
        self.externalIdFieldName = externalIdFieldName
        self.contentURL = contentURL
        self.numberRecordsProcessed = numberRecordsProcessed
        self.numberRecordsFailed = numberRecordsFailed
        self.errorMessage = errorMessage
    }

    private enum CodingKeys: String, CodingKey {
        case id, object, operation, state, externalIdFieldName, numberRecordsProcessed, numberRecordsFailed
        case errorMessage
        case contentURL = "contentUrl"
    }
}
