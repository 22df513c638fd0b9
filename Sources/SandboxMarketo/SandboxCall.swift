public import Foundation

/// One HTTP call the sandbox answered (or dropped), in the call log.
public struct SandboxCall: Sendable, Codable, Equatable {
    /// The subscription, when the call's token or client id named one.
    public var munchkinId: String?
    /// The HTTP method as received (before a `_method=GET` override).
    public var method: String
    /// The request path.
    public var path: String
    /// The endpoint template, e.g. `/rest/v1/programs/{programId}/members/status.json`; the path when unknown.
    public var endpoint: String
    /// The HTTP status sent; 0 when the connection was dropped without a response.
    public var httpStatus: Int
    /// The response-level error code (`errors[0].code`), if any.
    public var errorCode: String?
    /// Record-level reason codes, one per record that was skipped.
    public var recordErrorCodes: [String]
    /// Records in the call: the `input` items sent, or the rows of a bulk file, or the results returned by a query.
    public var records: Int
    /// Whether the call counted against the rate window and the daily quota.
    public var counted: Bool
    /// Fault rule ids that affected the call.
    public var faults: [String]
    /// When the call arrived.
    public var at: Date
    /// Request body bytes received.
    public var requestBytes: Int = 0
    /// The request's `Content-Length`, when it declared one: a body shorter than that arrived truncated.
    public var declaredBytes: Int?
}
