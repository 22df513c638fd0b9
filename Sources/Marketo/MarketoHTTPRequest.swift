import Foundation

/// One HTTP request to Marketo, before the token is added.
struct MarketoHTTPRequest: Sendable {
    var endpoint: MarketoCallEndpoint
    var method: String
    /// The path below the base URL, its segments already percent-encoded.
    var path: String
    var query: [(name: String, value: String)] = []
    var body: Data?
    var contentType: String?
    /// Records carried, for the call accounting.
    var records: Int = 0
}
