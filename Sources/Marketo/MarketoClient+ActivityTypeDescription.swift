extension MarketoClient {
    /// Describe Custom Activity Type: `GET /rest/v1/activities/external/type/{apiName}/describe.json`, the type's
    /// id and attributes (the writer checks which attributes it may send). Reported to the call observer as
    /// ``MarketoCallEndpoint/customActivityTypes``.
    /// - Parameters:
    ///   - apiName: The type's API name, such as `userSessionEngagement`.
    ///   - includingDraft: `draft=true`: describe the draft version too (a type that was never approved).
    /// - Throws: ``MarketoError``; an unknown or unapproved type (1013) is permanent, and so is an empty result.
    public func describeCustomActivityType(
        apiName: String,
        includingDraft: Bool = false
    ) async throws -> MarketoCustomActivityTypeDescription {
        let request = MarketoHTTPRequest(
            endpoint: .customActivityTypes,
            method: "GET",
            path: "/rest/v1/activities/external/type/\(Self.pathSegment(apiName))/describe.json",
            query: includingDraft ? [("draft", "true")] : []
        )
        let envelope = try await envelopeCall(request, of: MarketoCustomActivityTypeDescription.self)
        guard let description = envelope.result?.first else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .permanent,
                endpoint: .customActivityTypes,
                httpStatus: 200,
                message: "no description of custom activity type '\(apiName)'",
                requestId: envelope.requestId
            )
        }
        return description
    }
}
