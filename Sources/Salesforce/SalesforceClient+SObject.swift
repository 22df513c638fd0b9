import Foundation

// MARK: - SalesforceClient + SObject

extension SalesforceClient {
    /// Upserts one record by an external id: `PATCH /sobjects/{type}/{externalIdField}/{value}`.
    ///
    /// The external id field is left out of the body (the value is in the path).
    /// - Parameters:
    ///   - type: The sObject type, e.g. `CampaignMember`.
    ///   - externalIdField: The External ID field, e.g. `external_id__c`.
    ///   - externalId: The value to match.
    ///   - fields: The fields to write. On an update, send only updatable fields (for CampaignMember, not
    ///     `CampaignId`/`LeadId`/`ContactId`).
    /// - Returns: Created (201), updated (200/204) or several matches (300).
    /// - Throws: ``SalesforceError`` for 4xx/5xx answers (the REST error array) and transport failures.
    public func upsertRecord(
        type: String,
        externalIdField: String,
        externalId: String,
        fields: [String: SalesforceValue]
    ) async throws(SalesforceError) -> SalesforceUpsertResult {
        var body = SalesforceRecord(type: type, fields: fields)
        body[externalIdField] = nil
        let data = try Self.encode(body.fields, endpoint: .sobjectUpsert)
        let path =
            "\(configuration.dataPath)/sobjects/\(Self.pathSegment(type))/\(Self.pathSegment(externalIdField))/"
            + Self.pathSegment(externalId)
        let reply = try await send(
            SalesforceAPIRequest(
                endpoint: .sobjectUpsert,
                method: "PATCH",
                path: path,
                body: data,
                contentType: "application/json",
                recordCount: 1,
                acceptedStatuses: 200...300
            )
        )
        switch reply.status {
        case 201:
            let result = try Self.decode(SalesforceSaveResult.self, from: reply, endpoint: .sobjectUpsert)
            guard let id = result.id else {
                throw SalesforceError(
                    endpoint: .sobjectUpsert,
                    httpStatus: reply.status,
                    errorCode: SalesforceError.Code.unexpectedResponse,
                    message: "a created record without an id: \(reply.text.prefix(200))"
                )
            }
            return .created(id: id)
        case 300:
            return .multipleMatches(recordURLs: Self.recordURLs(in: reply))
        case 204:
            return .updated(id: nil)
        default:
            if reply.body.isEmpty { return .updated(id: nil) }
            let result = try Self.decode(SalesforceSaveResult.self, from: reply, endpoint: .sobjectUpsert)
            return result.created == true ? .created(id: result.id ?? "") : .updated(id: result.id)
        }
    }

    /// The 300 answer's record paths: a JSON array of strings (or of objects with a `url`/`attributes.url`).
    private static func recordURLs(in reply: SalesforceAPIReply) -> [String] {
        guard case .array(let items)? = try? JSONDecoder().decode(SalesforceValue.self, from: reply.body) else {
            return []
        }
        return items.compactMap { item in
            switch item {
            case .string(let url): return url
            case .object(let members):
                if let url = members["url"]?.stringValue { return url }
                if case .object(let attributes)? = members["attributes"] { return attributes["url"]?.stringValue }
                return nil
            default: return nil
            }
        }
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    static func pathSegment(_ text: String) -> String {
        formEncode(text)
    }
}
