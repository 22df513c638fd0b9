// MARK: - SandboxHTTPRequest

/// An HTTP request as the store sees it: no Hummingbird types, so the store is testable on its own.
struct SandboxHTTPRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
}
