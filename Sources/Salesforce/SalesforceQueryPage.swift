// MARK: - SalesforceQueryPage

/// One batch of query results: `{"totalSize","done","nextRecordsUrl","records"}`.
public struct SalesforceQueryPage: Sendable, Hashable, Decodable {
    /// Rows the whole query matches.
    public var totalSize: Int
    /// Whether this is the last batch.
    public var done: Bool
    /// The path of the next batch, when not done.
    public var nextRecordsURL: String?
    /// The rows of this batch.
    public var records: [SalesforceRecord]

    /// Creates a page.
    public init(totalSize: Int, done: Bool, nextRecordsURL: String?, records: [SalesforceRecord]) {
        self.totalSize = totalSize
        self.done = done
        self.nextRecordsURL = nextRecordsURL
        self.records = records
    }

    private enum CodingKeys: String, CodingKey {
        case totalSize, done, records
        case nextRecordsURL = "nextRecordsUrl"
    }
}
