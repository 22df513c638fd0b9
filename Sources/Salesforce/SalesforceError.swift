// MARK: - SalesforceError

/// A failed Salesforce call: where it failed, what Salesforce answered, and what the caller should do about it
/// (``classification``).
///
/// Salesforce reports errors as `[{"message","errorCode","fields"}]` on REST calls, `{"error",
/// "error_description"}` on the token endpoint, and sometimes as HTML or `{"error":{"message"}}` from its edge;
/// network failures have no HTTP status at all. All of them end up here.
public struct SalesforceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed.
    public var endpoint: SalesforceEndpoint
    /// The HTTP status, or nil when no answer arrived (timeout, dropped connection) or the client refused the
    /// request before sending it.
    public var httpStatus: Int?
    /// Salesforce's error code (`errorCode`, `statusCode`, or OAuth `error`), e.g. `REQUEST_LIMIT_EXCEEDED`,
    /// `invalid_client`; for failures without one, a code of this client such as ``Code/network``.
    public var errorCode: String?
    /// The human-readable message.
    public var message: String
    /// The fields the error is about, when Salesforce names them.
    public var fields: [String]
    /// What to do about it.
    public var classification: Classification
    /// Whether Salesforce may have carried out the call although no answer arrived (the request may have left
    /// before the connection broke). Writes that create records must then be read back before they are resent.
    public var mayHaveBeenProcessed = false

    /// Creates an error; the classification is derived from the status, code and message unless given.
    public init(
        endpoint: SalesforceEndpoint,
        httpStatus: Int?,
        errorCode: String?,
        message: String,
        fields: [String] = [],
        classification: Classification? = nil
    ) {
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.message = message
        self.fields = fields
        self.classification =
            classification
            ?? Classification(httpStatus: httpStatus, errorCode: errorCode, message: message)
    }

    /// One line for logs: endpoint, status, code, fields, message and classification.
    public var description: String {
        var text = "Salesforce \(endpoint.name) failed"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if let errorCode { text += ": \(errorCode)" }
        if !fields.isEmpty { text += " [\(fields.joined(separator: ", "))]" }
        text += " \(message) (\(classification))"
        return text
    }

    /// Error codes this client uses for failures Salesforce did not name.
    public enum Code {
        /// No answer: timeout, stalled, refused or dropped connection, DNS failure.
        public static let network = "NETWORK_ERROR"
        /// The answer could not be read (not the JSON or CSV the reference describes).
        public static let unexpectedResponse = "UNEXPECTED_RESPONSE"
        /// The client refused to send the request (too many records, a record without its key, ...).
        public static let invalidRequest = "INVALID_REQUEST"
        /// A Bulk API 2.0 job did not reach a final state in time.
        public static let bulkJobTimeout = "BULK_JOB_TIMEOUT"
    }
}
