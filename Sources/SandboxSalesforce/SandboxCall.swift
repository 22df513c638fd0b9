public import Foundation

// MARK: - SandboxCall

/// One entry of the call log: every HTTP request the sandbox answered (or dropped).
public struct SandboxCall: Sendable, Hashable, Codable {
    /// The org the call was for, when it could be told (a valid token or client id).
    public var orgId: String?
    /// The endpoint name faults are scoped by, e.g. `oauth.token`, `query`, `sobject.upsert`,
    /// `collections.create`, `composite`, `bulk.upload` (see SandboxSalesforce.docc/SandboxSalesforce.md).
    public var endpoint: String
    /// The HTTP method after any `_HttpMethod` override.
    public var method: String
    /// The request path without the query string.
    public var path: String
    /// The HTTP status answered; 0 when the connection was dropped.
    public var httpStatus: Int
    /// The first error code in the answer (`errorCode`, `statusCode` or OAuth `error`), if any.
    public var errorCode: String?
    /// Records the call carried (1 for single-record calls, rows for collections and bulk uploads).
    public var records: Int
    /// Sandbox time when the call was answered.
    public var timestamp: Date
    /// Whether the call counted against the daily API request allocation.
    public var countedAsAPICall: Bool
    /// Whether an injected fault decided the answer.
    public var injectedFault: Bool
    /// The error codes of single rows that failed inside an answer (sObject Collections, composite,
    /// composite/batch), one per error, in row order; empty for single-record calls.
    public var rowErrorCodes: [String] = []
    /// Request body bytes received (0 for calls refused before the API read the body).
    public var requestBytes: Int = 0
}
