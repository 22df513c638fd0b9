import Foundation

extension MarketoClient {
    /// The longest request URI Marketo accepts (HTTP 414 beyond); longer queries go as `POST …?_method=GET`.
    static let maxURIBytes = 8_192

    /// Sync Leads: `POST /rest/v1/leads.json`, up to 300 leads.
    /// - Parameters:
    ///   - leads: The leads' fields by REST name; each must hold the lookup field.
    ///   - action: What to do (default createOrUpdate).
    ///   - lookupField: The field that finds an existing lead (default `email`).
    ///   - partitionName: The lead partition (createOnly and createOrUpdate only).
    /// - Returns: One result per lead, in input order: the lead id and created/updated, or the reasons.
    /// - Throws: ``MarketoError`` when the call failed as a whole (more than 300 leads is 1003, permanent).
    public func syncLeads(
        _ leads: [[String: MarketoFieldValue]],
        action: MarketoLeadSyncAction = .createOrUpdate,
        lookupField: String = "email",
        partitionName: String? = nil
    ) async throws -> MarketoCallResult<MarketoLeadSyncResult> {
        var body: [String: MarketoJSON] = [
            "action": .string(action.rawValue),
            "lookupField": .string(lookupField),
            "input": .array(leads.map(MarketoJSON.fields)),
        ]
        if let partitionName { body["partitionName"] = .string(partitionName) }
        let request = try jsonRequest(
            .syncLeads,
            path: "/rest/v1/leads.json",
            body: .object(body),
            records: leads.count
        )
        let answer = try await recordCall(request, inputCount: leads.count)
        return MarketoCallResult(
            requestId: answer.requestId,
            records: answer.records.map { MarketoLeadSyncResult(leadId: $0.id, outcome: $0.outcome) },
            warnings: answer.warnings
        )
    }

    /// Get Leads by Filter Type, every page: `GET /rest/v1/leads.json?filterType=…&filterValues=…`.
    ///
    /// Several leads may share one email: all of them come back. No match is an empty array; no values make no
    /// call.
    /// - Parameters:
    ///   - filterType: A searchable field, such as `email` or `id`.
    ///   - values: Up to 300 values.
    ///   - fields: The fields to return (Marketo's default set when empty).
    /// - Throws: ``MarketoError``.
    public func getLeads(filterType: String, values: [String], fields: [String] = []) async throws -> [MarketoLead] {
        guard !values.isEmpty else { return [] }
        var leads: [MarketoLead] = []
        var token: String?
        var seenTokens = Set<String>()
        repeat {
            let page = try await getLeadsPage(
                filterType: filterType,
                values: values,
                fields: fields,
                nextPageToken: token
            )
            leads += page.leads
            token = page.nextPageToken
            if let next = token, !seenTokens.insert(next).inserted { break }
        } while token != nil
        return leads
    }

    /// One page of Get Leads by Filter Type. When the URI would exceed 8 KB, the query goes as
    /// `POST /rest/v1/leads.json?_method=GET` with an `application/x-www-form-urlencoded` body.
    /// - Parameters:
    ///   - filterType: A searchable field.
    ///   - values: Up to 300 values.
    ///   - fields: The fields to return (Marketo's default set when empty).
    ///   - batchSize: Records per page (Marketo's default and maximum: 300).
    ///   - nextPageToken: The previous page's token; nil for the first page.
    /// - Throws: ``MarketoError``.
    public func getLeadsPage(
        filterType: String,
        values: [String],
        fields: [String] = [],
        batchSize: Int? = nil,
        nextPageToken: String? = nil
    ) async throws -> MarketoLeadPage {
        var query: [(name: String, value: String)] = [
            ("filterType", filterType), ("filterValues", values.joined(separator: ",")),
        ]
        if !fields.isEmpty { query.append(("fields", fields.joined(separator: ","))) }
        if let batchSize { query.append(("batchSize", String(batchSize))) }
        if let nextPageToken { query.append(("nextPageToken", nextPageToken)) }
        var request = MarketoHTTPRequest(
            endpoint: .getLeads,
            method: "GET",
            path: "/rest/v1/leads.json",
            query: query,
            records: values.count
        )
        if try url(for: request).absoluteString.utf8.count > Self.maxURIBytes {
            request.method = "POST"
            request.query = [("_method", "GET")]
            request.body = Data(Self.formEncode(query).utf8)
            request.contentType = "application/x-www-form-urlencoded"
        }
        let envelope = try await envelopeCall(request, of: MarketoLead.self)
        let next = envelope.moreResult == true ? envelope.nextPageToken : nil
        return MarketoLeadPage(requestId: envelope.requestId ?? "", leads: envelope.result ?? [], nextPageToken: next)
    }

    /// Describe Lead: `GET /rest/v1/leads/describe.json`, the lead fields with their REST names.
    /// - Throws: ``MarketoError``.
    public func describeLeads() async throws -> [MarketoLeadField] {
        let request = MarketoHTTPRequest(endpoint: .describeLeads, method: "GET", path: "/rest/v1/leads/describe.json")
        return try await envelopeCall(request, of: MarketoLeadField.self).result ?? []
    }

    // MARK: - Request building

    /// A JSON `POST`.
    func jsonRequest(
        _ endpoint: MarketoCallEndpoint,
        path: String,
        body: MarketoJSON,
        records: Int
    ) throws -> MarketoHTTPRequest {
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw MarketoError(
                code: .invalidRequest,
                failureClass: .permanent,
                endpoint: endpoint,
                message: "cannot encode the request body: \(error)"
            )
        }
        return MarketoHTTPRequest(
            endpoint: endpoint,
            method: "POST",
            path: path,
            body: data,
            contentType: "application/json",
            records: records
        )
    }

    /// A path segment percent-encoded (custom object API names, ids).
    static func pathSegment(_ text: String) -> String { percentEncode(text) }
}
