extension MarketoClient {
    /// Sync Custom Objects: `POST /rest/v1/customobjects/{apiName}.json`, up to 300 records.
    /// - Parameters:
    ///   - name: The object's API name, such as `kalturaUserSessionEngagement`.
    ///   - records: The records' fields by API name; in `dedupeFields` mode each holds every dedupe field (and
    ///     no `marketoGUID`).
    ///   - action: What to do (default createOrUpdate).
    ///   - dedupeBy: How an existing record is found (default by dedupe fields).
    /// - Returns: One result per record, in input order.
    /// - Throws: ``MarketoError``.
    public func syncCustomObjects(
        name: String,
        records: [[String: MarketoFieldValue]],
        action: MarketoCustomObjectSyncAction = .createOrUpdate,
        dedupeBy: MarketoCustomObjectDedupeMode = .dedupeFields
    ) async throws -> MarketoCallResult<MarketoCustomObjectSyncResult> {
        let body = MarketoJSON.object([
            "action": .string(action.rawValue),
            "dedupeBy": .string(dedupeBy.rawValue),
            "input": .array(records.map(MarketoJSON.fields)),
        ])
        let request = try jsonRequest(
            .syncCustomObjects,
            path: "/rest/v1/customobjects/\(Self.pathSegment(name)).json",
            body: body,
            records: records.count
        )
        let answer = try await recordCall(request, inputCount: records.count)
        let results = answer.records.map {
            MarketoCustomObjectSyncResult(marketoGUID: $0.marketoGUID, outcome: $0.outcome)
        }
        return MarketoCallResult(requestId: answer.requestId, records: results, warnings: answer.warnings)
    }

    /// Describe Custom Object: `GET /rest/v1/customobjects/{apiName}/describe.json`.
    /// - Parameter name: The object's API name.
    /// - Throws: ``MarketoError``; an unknown object is a permanent error, and so is an empty result.
    public func describeCustomObject(name: String) async throws -> MarketoCustomObjectDescription {
        let request = MarketoHTTPRequest(
            endpoint: .describeCustomObject,
            method: "GET",
            path: "/rest/v1/customobjects/\(Self.pathSegment(name))/describe.json"
        )
        let envelope = try await envelopeCall(request, of: MarketoCustomObjectDescription.self)
        guard let description = envelope.result?.first else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .permanent,
                endpoint: .describeCustomObject,
                httpStatus: 200,
                message: "no description of custom object '\(name)'",
                requestId: envelope.requestId
            )
        }
        return description
    }
}
