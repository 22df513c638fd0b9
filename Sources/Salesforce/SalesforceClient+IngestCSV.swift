// MARK: - SalesforceClient + IngestCSV

extension SalesforceClient {
    /// The CSV that ``bulkUpsert(_:object:externalIdField:pollInterval:timeout:)`` uploads, for a caller that runs
    /// the job's calls one by one (the writer puts each call through its rate limiter): the key column first,
    /// then every other field in name order; a missing field is an empty cell (unchanged), `.null` is `#N/A`.
    /// - Parameters:
    ///   - records: The records.
    ///   - keyField: The External ID field.
    /// - Returns: The CSV text and the job's `lineEnding` (`CRLF` when a value holds a carriage return).
    public static func ingestCSV(
        _ records: [SalesforceRecord],
        keyField: String
    ) -> (text: String, lineEnding: String) {
        csv(records, keyField: keyField)
    }
}
