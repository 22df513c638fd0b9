// MARK: - SalesforceClient + Limits

extension SalesforceClient {
    /// The org's limits: `GET /limits`, e.g. `DailyApiRequests`, `DailyBulkApiBatches`.
    /// - Returns: The limits by name. Entries with nested per-app breakdowns keep only their top-level figures.
    /// - Throws: ``SalesforceError``.
    public func limits() async throws(SalesforceError) -> [String: SalesforceLimit] {
        let reply = try await send(
            SalesforceAPIRequest(endpoint: .limits, method: "GET", path: "\(configuration.dataPath)/limits")
        )
        let all = try Self.decode([String: SalesforceValue].self, from: reply, endpoint: .limits)
        var limits: [String: SalesforceLimit] = [:]
        for (name, value) in all {
            guard case .object(let members) = value,
                let max = members["Max"]?.doubleValue,
                let remaining = members["Remaining"]?.doubleValue
            else { continue }
            limits[name] = SalesforceLimit(max: Int(max), remaining: Int(remaining))
        }
        return limits
    }
}
