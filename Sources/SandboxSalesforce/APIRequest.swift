// MARK: - APIRequest

/// One REST call under `/services/data/vNN.N/`, decoupled from HTTP so `/composite` can run subrequests
/// through the same handlers.
struct APIRequest: Sendable {
    /// Upper-case method after any `_HttpMethod` override.
    var method: String
    /// Path segments after the version, percent-decoded.
    var segments: [String]
    /// The version segment, e.g. `v66.0`.
    var version: String
    var query: [String: String]
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]

    /// The version number without the `v`, e.g. `66.0`.
    var versionNumber: String { String(version.dropFirst()) }

    /// Whether the version has the `created` flag in upsert results (v46+).
    var reportsCreated: Bool { (Double(versionNumber) ?? 66) >= 46 }

    /// The JSON body, or a `JSON_PARSER_ERROR` like Salesforce's.
    func json() throws(APIError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw APIError(
                "JSON_PARSER_ERROR",
                "Unexpected character or end of input: \(error.reason) at [line:1, column:\(error.offset + 1)]"
            )
        }
    }

    /// Splits `/services/data/v66.0/a/b?x=y` style paths; nil when the version segment is not `vNN.N`.
    static func versionAndSegments(_ path: String) -> (String, [String])? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 3, parts[0] == "services", parts[1] == "data" else { return nil }
        let version = parts[2]
        guard version.hasPrefix("v"), let number = Double(version.dropFirst()), number > 0,
            version.dropFirst().contains(".")
        else { return nil }
        return (version, parts.dropFirst(3).map { $0.removingPercentEncoding ?? $0 })
    }

    /// The endpoint name used for faults, the call log and counters.
    var endpoint: String {
        let first = segments.first ?? ""
        switch (first, segments.count, method) {
        case ("limits", _, _): return "limits"
        case ("query", 1, _), ("queryAll", 1, _): return "query"
        case ("query", _, _), ("queryAll", _, _): return "query.more"
        case ("sobjects", 2, "POST"): return "sobject.create"
        case ("sobjects", 3, "POST") where segments[2].lowercased() == "id": return "sobject.create"
        case ("sobjects", 3, "GET") where segments[2] == "describe": return "sobject.describe"
        case ("sobjects", 3, "GET"): return "sobject.get"
        case ("sobjects", 3, "PATCH"): return "sobject.update"
        case ("sobjects", 3, "DELETE"): return "sobject.delete"
        case ("sobjects", 4, _): return "sobject.upsert"
        case ("sobjects", _, _): return "sobject"
        case ("composite", 1, _): return "composite"
        case ("composite", 2, "POST") where segments[1] == "sobjects": return "collections.create"
        case ("composite", 2, "PATCH") where segments[1] == "sobjects": return "collections.update"
        case ("composite", 2, "DELETE") where segments[1] == "sobjects": return "collections.delete"
        case ("composite", 2, "POST") where segments[1] == "batch": return "composite.batch"
        case ("composite", 4, "PATCH") where segments[1] == "sobjects": return "collections.upsert"
        case ("composite", _, _): return "composite.other"
        case ("jobs", 2, "POST"): return "bulk.create"
        case ("jobs", 2, _): return "bulk.list"
        case ("jobs", 3, "GET"): return "bulk.info"
        case ("jobs", 3, "PATCH"): return "bulk.state"
        case ("jobs", 3, "DELETE"): return "bulk.delete"
        case ("jobs", 4, "PUT"): return "bulk.upload"
        case ("jobs", 4, "GET"): return "bulk.results"
        case ("jobs", _, _): return "bulk"
        default: return "other"
        }
    }
}
