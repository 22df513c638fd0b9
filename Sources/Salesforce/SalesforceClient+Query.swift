// MARK: - SalesforceClient + Query

extension SalesforceClient {
    /// Runs a SOQL query and follows `nextRecordsUrl` until every row is read.
    /// - Parameters:
    ///   - soql: The statement. Quote text literals with ``soqlLiteral(_:)``.
    ///   - batchSize: `Sforce-Query-Options: batchSize=` (200...2000, a hint Salesforce may ignore); nil for
    ///     the default (2000).
    /// - Returns: Every row, in the order Salesforce returned them.
    /// - Throws: ``SalesforceError``: `MALFORMED_QUERY`, `INVALID_FIELD` (permanent), 414/431 when the URI is
    ///   too long, and the usual transport failures.
    public func query(_ soql: String, batchSize: Int? = nil) async throws(SalesforceError) -> [SalesforceRecord] {
        try await queryAllPages(soql, batchSize: batchSize, recordCount: 0)
    }

    /// A query that follows every page, reporting `recordCount` on its first call.
    func queryAllPages(
        _ soql: String,
        batchSize: Int?,
        recordCount: Int
    ) async throws(SalesforceError) -> [SalesforceRecord] {
        var page = try await queryPage(soql, batchSize: batchSize, recordCount: recordCount)
        var records = page.records
        while !page.done, let next = page.nextRecordsURL {
            page = try await queryMore(next)
            records += page.records
        }
        return records
    }

    /// Runs a SOQL query and returns its first batch only.
    /// - Parameters:
    ///   - soql: The statement.
    ///   - batchSize: The batch size hint (200...2000).
    ///   - recordCount: What the call record reports as records (e.g. emails looked up).
    public func queryPage(
        _ soql: String,
        batchSize: Int? = nil,
        recordCount: Int = 0
    ) async throws(SalesforceError) -> SalesforceQueryPage {
        let path = Self.queryPath(dataPath: configuration.dataPath, soql: soql)
        guard path.utf8.count <= configuration.maxURILength else {
            throw SalesforceError(
                endpoint: .query,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "the encoded query is \(path.utf8.count) bytes, over the \(configuration.maxURILength)-byte "
                    + "URI limit; split it"
            )
        }
        var request = SalesforceAPIRequest(endpoint: .query, method: "GET", path: path, recordCount: recordCount)
        if let batchSize {
            request.extraHeaders["Sforce-Query-Options"] = "batchSize=\(batchSize)"
        }
        let reply = try await send(request)
        return try Self.decode(SalesforceQueryPage.self, from: reply, endpoint: .query)
    }

    /// Reads the next batch of a query from its `nextRecordsUrl`.
    public func queryMore(_ nextRecordsURL: String) async throws(SalesforceError) -> SalesforceQueryPage {
        let path = nextRecordsURL.hasPrefix("/") ? nextRecordsURL : "/" + nextRecordsURL
        let reply = try await send(SalesforceAPIRequest(endpoint: .queryMore, method: "GET", path: path))
        return try Self.decode(SalesforceQueryPage.self, from: reply, endpoint: .queryMore)
    }

    /// A SOQL text literal: the value in single quotes, with `\` and `'` escaped.
    public static func soqlLiteral(_ value: String) -> String {
        var escaped = "'"
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.append(character)
            }
        }
        return escaped + "'"
    }

    /// `/services/data/vXX.X/query?q=<percent-encoded SOQL>`.
    static func queryPath(dataPath: String, soql: String) -> String {
        "\(dataPath)/query?q=\(formEncode(soql))"
    }
}
