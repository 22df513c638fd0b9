import Foundation

// MARK: - SalesforceClient + Collections

extension SalesforceClient {
    /// The most records one sObject Collections call takes.
    public static let collectionsRecordLimit = 200

    private struct CollectionsBody: Encodable {
        var allOrNone: Bool
        var records: [SalesforceRecord]
    }

    /// Creates up to 200 records in one call: `POST /composite/sobjects`.
    /// - Parameters:
    ///   - records: The records; each carries its type. Types may be mixed.
    ///   - allOrNone: When true, one failed row rolls back the others (`ALL_OR_NONE_OPERATION_ROLLED_BACK`).
    /// - Returns: One result per record, in input order. HTTP 200 with failed rows is not an error.
    /// - Throws: ``SalesforceError`` when the whole call fails, or (``SalesforceError/Code/invalidRequest``)
    ///   for more than 200 records.
    public func createRecords(
        _ records: [SalesforceRecord],
        allOrNone: Bool = false
    ) async throws(SalesforceError) -> [SalesforceSaveResult] {
        try await collectionsCall(
            .collectionsCreate,
            method: "POST",
            path: "\(configuration.dataPath)/composite/sobjects",
            records: records,
            allOrNone: allOrNone
        )
    }

    /// Updates up to 200 records by `Id` in one call: `PATCH /composite/sobjects`.
    /// - Parameters:
    ///   - records: The records; each carries its type and `Id`.
    ///   - allOrNone: When true, one failed row rolls back the others.
    /// - Returns: One result per record, in input order.
    /// - Throws: ``SalesforceError`` when the whole call fails, a record has no `Id`, or there are more than 200.
    public func updateRecords(
        _ records: [SalesforceRecord],
        allOrNone: Bool = false
    ) async throws(SalesforceError) -> [SalesforceSaveResult] {
        if let index = records.firstIndex(where: { $0.id == nil }) {
            throw SalesforceError(
                endpoint: .collectionsUpdate,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "record \(index) of an update has no Id"
            )
        }
        return try await collectionsCall(
            .collectionsUpdate,
            method: "PATCH",
            path: "\(configuration.dataPath)/composite/sobjects",
            records: records,
            allOrNone: allOrNone
        )
    }

    /// Upserts up to 200 records of one type by an External ID field in one call:
    /// `PATCH /composite/sobjects/{type}/{externalIdField}`.
    /// - Parameters:
    ///   - records: The records, each with the external id field set. Their type is set to `type`.
    ///   - type: The sObject type, e.g. `CampaignMember`.
    ///   - externalIdField: The External ID field, e.g. `external_id__c`.
    ///   - allOrNone: When true, one failed row rolls back the others.
    /// - Returns: One result per record, in input order, with `created` telling inserts from updates.
    /// - Throws: ``SalesforceError`` when the whole call fails, a record lacks the external id, or there are
    ///   more than 200.
    public func upsertRecords(
        _ records: [SalesforceRecord],
        type: String,
        externalIdField: String,
        allOrNone: Bool = false
    ) async throws(SalesforceError) -> [SalesforceSaveResult] {
        if let index = records.firstIndex(where: { $0[externalIdField] == nil || $0[externalIdField] == .null }) {
            throw SalesforceError(
                endpoint: .collectionsUpsert,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "record \(index) of an upsert has no \(externalIdField)"
            )
        }
        let typed = records.map { SalesforceRecord(type: type, fields: $0.fields) }
        return try await collectionsCall(
            .collectionsUpsert,
            method: "PATCH",
            path: "\(configuration.dataPath)/composite/sobjects/\(Self.pathSegment(type))/"
                + Self.pathSegment(externalIdField),
            records: typed,
            allOrNone: allOrNone
        )
    }

    private func collectionsCall(
        _ endpoint: SalesforceEndpoint,
        method: String,
        path: String,
        records: [SalesforceRecord],
        allOrNone: Bool
    ) async throws(SalesforceError) -> [SalesforceSaveResult] {
        guard records.count <= Self.collectionsRecordLimit else {
            throw SalesforceError(
                endpoint: endpoint,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "\(records.count) records in one collections call; the limit is "
                    + "\(Self.collectionsRecordLimit)"
            )
        }
        guard !records.isEmpty else { return [] }
        let body = try Self.encode(CollectionsBody(allOrNone: allOrNone, records: records), endpoint: endpoint)
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: endpoint,
                method: method,
                path: path,
                body: body,
                contentType: "application/json",
                recordCount: records.count
            )
        )
        let results = try Self.decode([SalesforceSaveResult].self, from: reply, endpoint: endpoint)
        guard results.count == records.count else {
            throw SalesforceError(
                endpoint: endpoint,
                httpStatus: reply.status,
                errorCode: SalesforceError.Code.unexpectedResponse,
                message: "\(results.count) results for \(records.count) records"
            )
        }
        let failed = results.filter { !$0.success }.count
        if failed > 0 {
            logger.debug(
                "Salesforce collections call had failed rows",
                metadata: [
                    "salesforce.endpoint": "\(endpoint)", "salesforce.records": "\(records.count)",
                    "salesforce.failed": "\(failed)",
                ]
            )
        }
        return results
    }
}
