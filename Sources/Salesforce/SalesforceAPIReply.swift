import Foundation

// MARK: - SalesforceAPIReply

/// An HTTP answer: status, headers (names lowercased) and body.
struct SalesforceAPIReply: Sendable {
    /// The HTTP status.
    var status: Int
    /// The headers, names lowercased.
    var headers: [String: String]
    /// The body.
    var body: Data

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
