extension MarketoClient {
    /// Fetches an access token (or uses the cached one) without calling an API endpoint: whether the credentials
    /// are accepted. Identity calls do not count against the API limits.
    /// - Throws: ``MarketoError`` (``MarketoError/Code/invalidCredentials`` when the identity service refuses the
    ///   client id or secret).
    public func checkCredentials() async throws {
        _ = try await tokens.token(now: configuration.clock(), fetch: tokenFetcher())
    }

    /// Get Program by Id: `GET /rest/asset/v1/program/{id}.json`.
    /// - Returns: The program, or nil when Marketo has none with that id (it answers with an empty result and a
    ///   warning).
    /// - Throws: ``MarketoError``.
    public func program(id: Int) async throws -> MarketoProgram? {
        let request = MarketoHTTPRequest(
            endpoint: .getProgram,
            method: "GET",
            path: "/rest/asset/v1/program/\(id).json"
        )
        return try await envelopeCall(request, of: MarketoProgram.self).result?.first
    }

    /// Get Channel by Name: `GET /rest/asset/v1/channel/byName.json?name=…`, the channel with its progression
    /// statuses.
    /// - Returns: The channel, or nil when there is none of that name.
    /// - Throws: ``MarketoError``.
    public func channel(named name: String) async throws -> MarketoChannel? {
        let request = MarketoHTTPRequest(
            endpoint: .getChannel,
            method: "GET",
            path: "/rest/asset/v1/channel/byName.json",
            query: [("name", name)]
        )
        return try await envelopeCall(request, of: MarketoChannel.self).result?.first
    }

    /// Describe Custom Object Type (the Custom Object Metadata API):
    /// `GET /rest/v1/customobjects/schema/{apiName}/describe.json`, whose `state` says whether the type is a
    /// draft, approved, or approved with a draft. The data API's describe only knows approved types.
    /// - Throws: ``MarketoError``; an unknown type, or a subscription without the metadata API, fails.
    public func describeCustomObjectType(name: String) async throws -> MarketoCustomObjectType {
        let request = MarketoHTTPRequest(
            endpoint: .describeCustomObjectType,
            method: "GET",
            path: "/rest/v1/customobjects/schema/\(Self.pathSegment(name))/describe.json"
        )
        let envelope = try await envelopeCall(request, of: MarketoCustomObjectType.self)
        guard let type = envelope.result?.first else {
            throw MarketoError(
                code: .invalidResponse,
                failureClass: .permanent,
                endpoint: .describeCustomObjectType,
                httpStatus: 200,
                message: "no description of custom object type '\(name)'",
                requestId: envelope.requestId
            )
        }
        return type
    }
}
