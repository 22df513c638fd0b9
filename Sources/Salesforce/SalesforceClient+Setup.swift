import Foundation

// MARK: - SalesforceClient + Setup

extension SalesforceEndpoint {
    /// `GET /services/data/vXX.X/sobjects/{type}/describe`.
    public static let describe = SalesforceEndpoint("sobject.describe")
}

extension SalesforceClient {
    /// Fetches an access token (or uses the cached one) without calling the API: whether the credentials are
    /// accepted. Token requests do not count against the org's API allocation.
    /// - Throws: ``SalesforceError`` from the token endpoint (classification `authenticationFailed` when the
    ///   credentials are refused).
    public func checkCredentials() async throws(SalesforceError) {
        _ = try await accessToken(replacing: nil)
    }

    /// Describes an sObject: `GET /sobjects/{type}/describe`, its fields with types, lengths and flags.
    /// - Returns: The description, or nil when the org has no such object (404 `NOT_FOUND`).
    /// - Throws: ``SalesforceError`` for any other failure.
    public func describe(object: String) async throws(SalesforceError) -> SalesforceObjectDescription? {
        let name = object.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? object
        let request = SalesforceAPIRequest(
            endpoint: .describe,
            method: "GET",
            path: "\(configuration.dataPath)/sobjects/\(name)/describe",
            acceptedStatuses: 200...299
        )
        do {
            let reply = try await send(request)
            return try Self.decode(SalesforceObjectDescription.self, from: reply, endpoint: .describe)
        } catch  where error.httpStatus == 404 {
            return nil
        }
    }

    /// The campaigns of the given ids that exist: `SELECT Id, Name, IsActive FROM Campaign WHERE Id IN (…)`.
    /// - Throws: ``SalesforceError``.
    public func campaigns(ids: [String]) async throws(SalesforceError) -> [SalesforceRecord] {
        guard !ids.isEmpty else { return [] }
        let soql =
            "SELECT Id, Name, IsActive FROM Campaign WHERE Id IN ("
            + ids.map(Self.soqlLiteral).joined(separator: ",") + ")"
        return try await query(soql)
    }
}
