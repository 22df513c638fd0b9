extension MarketoClient {
    /// Today's API usage: `GET /rest/v1/stats/usage.json` (the call itself counts against the quota).
    /// - Throws: ``MarketoError`` (607 once the daily quota is spent).
    public func usage() async throws -> [MarketoDailyUsage] {
        let request = MarketoHTTPRequest(endpoint: .usage, method: "GET", path: "/rest/v1/stats/usage.json")
        return try await envelopeCall(request, of: MarketoDailyUsage.self).result ?? []
    }

    /// The last seven days' API usage: `GET /rest/v1/stats/usage/last7days.json`.
    /// - Throws: ``MarketoError``.
    public func usageLastSevenDays() async throws -> [MarketoDailyUsage] {
        let request = MarketoHTTPRequest(
            endpoint: .usage,
            method: "GET",
            path: "/rest/v1/stats/usage/last7days.json"
        )
        return try await envelopeCall(request, of: MarketoDailyUsage.self).result ?? []
    }
}
