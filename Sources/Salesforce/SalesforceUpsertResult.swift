// MARK: - SalesforceUpsertResult

/// The answer to a single-record upsert by external id.
public enum SalesforceUpsertResult: Sendable, Hashable {
    /// 201: no record had the external id; one was created.
    case created(id: String)
    /// 200 (v46+, with the id) or 204 (older versions, without it): the one matching record was updated.
    case updated(id: String?)
    /// 300: several records have the external id; nothing was written. The paths of the matching records.
    case multipleMatches(recordURLs: [String])
}
