// MARK: - SandboxHTTPRequest

/// An HTTP request as the store sees it: no Hummingbird types, so the store is testable on its own.
struct SandboxHTTPRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
    /// Bytes of the request target (path and query) as sent.
    var uriLength = 0
    /// Bytes of the header block (names, values and separators).
    var headerLength = 0
}
