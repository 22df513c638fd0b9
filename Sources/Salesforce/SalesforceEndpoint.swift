// MARK: - SalesforceEndpoint

/// The name of a Salesforce API call, as it appears in errors, logs and call records (`query`,
/// `collections.upsert`, `bulk.upload`, ...). Metrics use it as a label, so the set is small and fixed.
public struct SalesforceEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The endpoint name, e.g. `collections.upsert`.
    public let name: String

    /// Creates an endpoint name.
    public init(_ name: String) {
        self.name = name
    }

    /// The endpoint name.
    public var description: String { name }

    /// `POST /services/oauth2/token`.
    public static let token = SalesforceEndpoint("oauth.token")
    /// `GET /services/data/vXX.X/query?q=`.
    public static let query = SalesforceEndpoint("query")
    /// `GET {nextRecordsUrl}`.
    public static let queryMore = SalesforceEndpoint("query.more")
    /// `PATCH /sobjects/{type}/{externalIdField}/{value}`.
    public static let sobjectUpsert = SalesforceEndpoint("sobject.upsert")
    /// `POST /composite/sobjects`.
    public static let collectionsCreate = SalesforceEndpoint("collections.create")
    /// `PATCH /composite/sobjects`.
    public static let collectionsUpdate = SalesforceEndpoint("collections.update")
    /// `PATCH /composite/sobjects/{type}/{externalIdField}`.
    public static let collectionsUpsert = SalesforceEndpoint("collections.upsert")
    /// `POST /jobs/ingest`.
    public static let bulkCreate = SalesforceEndpoint("bulk.create")
    /// `PUT /jobs/ingest/{id}/batches`.
    public static let bulkUpload = SalesforceEndpoint("bulk.upload")
    /// `PATCH /jobs/ingest/{id}` (`UploadComplete` or `Aborted`).
    public static let bulkState = SalesforceEndpoint("bulk.state")
    /// `GET /jobs/ingest/{id}`.
    public static let bulkInfo = SalesforceEndpoint("bulk.info")
    /// `GET /jobs/ingest/{id}/{successfulResults,failedResults,unprocessedrecords}`.
    public static let bulkResults = SalesforceEndpoint("bulk.results")
    /// `GET /services/data/vXX.X/limits`.
    public static let limits = SalesforceEndpoint("limits")
}
