extension MarketoClient {
    /// Query Custom Objects: `GET /rest/v1/customobjects/{apiName}.json?filterType=&filterValues=&fields=`, every
    /// page (the query goes as `POST …?_method=GET` when the URI would be too long).
    /// - Parameters:
    ///   - name: The custom object's API name.
    ///   - filterType: A searchable field (a dedupe field, the lead link, `marketoGUID`).
    ///   - values: Up to 300 values.
    ///   - fields: The fields to return.
    /// - Returns: The records' fields.
    /// - Throws: ``MarketoError``.
    public func queryCustomObjects(
        name: String,
        filterType: String,
        values: [String],
        fields: [String]
    ) async throws -> [[String: MarketoFieldValue]] {
        guard !values.isEmpty else { return [] }
        var records: [[String: MarketoFieldValue]] = []
        var token: String?
        var seen = Set<String>()
        repeat {
            var query: [(name: String, value: String)] = [
                ("filterType", filterType), ("filterValues", values.joined(separator: ",")),
                ("fields", fields.joined(separator: ",")),
            ]
            if let token { query.append(("nextPageToken", token)) }
            let request = MarketoHTTPRequest(
                endpoint: .queryCustomObjects,
                method: "GET",
                path: "/rest/v1/customobjects/\(Self.percentEncode(name)).json",
                query: query
            )
            let envelope = try await envelopeCall(request, of: MarketoRecordFields.self)
            records += (envelope.result ?? []).map(\.fields)
            token = envelope.moreResult == true ? envelope.nextPageToken : nil
            if let next = token, !seen.insert(next).inserted { break }
        } while token != nil
        return records
    }
}

/// A result record read as its scalar fields.
struct MarketoRecordFields: Decodable {
    var fields: [String: MarketoFieldValue]

    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: MarketoLeadMember].self)
        fields = raw.compactMapValues(\.value)
    }
}
