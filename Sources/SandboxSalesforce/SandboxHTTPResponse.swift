// MARK: - SandboxHTTPResponse

/// An HTTP answer from the store.
struct SandboxHTTPResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> SandboxHTTPResponse {
        SandboxHTTPResponse(
            status: status,
            headers: [("Content-Type", "application/json;charset=UTF-8")] + headers,
            body: Array(value.serialized().utf8)
        )
    }

    static func encoded(_ status: Int, _ bytes: [UInt8]) -> SandboxHTTPResponse {
        SandboxHTTPResponse(status: status, headers: [("Content-Type", "application/json;charset=UTF-8")], body: bytes)
    }

    static func oauthError(_ status: Int, _ error: String, _ description: String) -> SandboxHTTPResponse {
        json(status, .object([("error", .string(error)), ("error_description", .string(description))]))
    }
}
