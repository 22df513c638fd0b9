// MARK: - SalesforceError.Classification

extension SalesforceError {
    /// What a caller should do with a failed call or a failed row.
    public enum Classification: String, Sendable, Hashable, CustomStringConvertible {
        /// Transient: retry with backoff (timeouts, dropped connections, 5xx, 420/429, `UNABLE_TO_LOCK_ROW`,
        /// `SERVER_UNAVAILABLE`, `QUERY_TIMEOUT`, `ConcurrentPerOrgLongTxn`, ...).
        case retry
        /// The session is invalid even after the client's one automatic refresh and replay: refresh the token
        /// and retry later.
        case reauth
        /// The org's daily request allocation is used up (`REQUEST_LIMIT_EXCEEDED` / `TotalRequests`): park the
        /// tenant until the rolling 24-hour window frees requests. Never a reason to drop a command.
        case quotaExhausted
        /// The token endpoint refused the connected app's credentials (`invalid_client`, `invalid_grant`, ...):
        /// a configuration error; park the tenant and tell a person. Not the records' fault.
        case authenticationFailed
        /// The data or the setup is wrong (`STRING_TOO_LONG`, `INVALID_EMAIL_ADDRESS`, `MALFORMED_ID`,
        /// `INVALID_FIELD`, a bad picklist value, ...): retrying cannot help; dead-letter it.
        case permanent
        /// `DUPLICATE_VALUE`: the record (e.g. a campaign member) already exists; switch to an update.
        case duplicateValue
        /// `ALL_OR_NONE_OPERATION_ROLLED_BACK` / `PROCESSING_HALTED`: this row was fine but a sibling failed;
        /// resend it without the failed siblings.
        case rolledBack

        /// The name of the case.
        public var description: String { rawValue }

        /// Whether trying again later, unchanged, can succeed.
        public var isRetriable: Bool {
            switch self {
            case .retry, .reauth, .quotaExhausted, .rolledBack: true
            case .authenticationFailed, .permanent, .duplicateValue: false
            }
        }

        /// Classifies a failure the way the API reference (§6) does.
        /// - Parameters:
        ///   - httpStatus: The HTTP status; nil for a row inside a 200 answer or a call with no answer.
        ///   - errorCode: Salesforce's code, if any.
        ///   - message: The message (some codes wrap a lock error in their message).
        public init(httpStatus: Int?, errorCode: String?, message: String) {
            if let errorCode, let known = Self.classify(code: errorCode, message: message) {
                self = known
                return
            }
            guard let httpStatus else {
                // A row error with an unknown code, or a failure without an answer.
                self = errorCode == nil || errorCode == Code.network ? .retry : .permanent
                return
            }
            switch httpStatus {
            case 401: self = .reauth
            case 408, 420, 429, 500...599: self = .retry
            default: self = errorCode == Code.unexpectedResponse ? .retry : .permanent
            }
        }

        private static let retriableCodes: Set<String> = [
            "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "QUERY_TIMEOUT", "FAILED_WRITE",
            "INSERT_UPDATE_EXPERIENCE_NOT_ALLOWED_DURING_MAINTENANCE", "REQUEST_RUNNING_TOO_LONG",
            Code.network, Code.unexpectedResponse, Code.bulkJobTimeout,
        ]

        private static let permanentCodes: Set<String> = [
            "INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE", "REQUIRED_FIELD_MISSING",
            "FIELD_CUSTOM_VALIDATION_EXCEPTION", "FIELD_INTEGRITY_EXCEPTION", "DUPLICATES_DETECTED",
            "INVALID_CROSS_REFERENCE_KEY", "ENTITY_IS_DELETED", "MALFORMED_ID", "STRING_TOO_LONG",
            "NUMBER_OUTSIDE_VALID_RANGE", "INVALID_EMAIL_ADDRESS", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "ENTITY_IS_LOCKED",
            "CANNOT_UPDATE_CONVERTED_LEAD", "MALFORMED_QUERY", "NOT_FOUND", "INVALID_TYPE", "JSON_PARSER_ERROR",
            "INVALID_QUERY_FILTER_OPERATOR", "API_DISABLED_FOR_ORG", "INVALID_ID_FIELD", "BULK_API_ERROR",
            "InvalidBatch", "InvalidJob", "InvalidVersion", "API_ERROR", "METHOD_NOT_ALLOWED",
            Code.invalidRequest,
        ]

        private static let oauthCodes: Set<String> = [
            "invalid_grant", "invalid_client", "invalid_client_id", "unsupported_grant_type", "invalid_request",
            "unauthorized_client", "inactive_user", "inactive_org",
        ]

        private static func classify(code: String, message: String) -> Classification? {
            switch code {
            case "INVALID_SESSION_ID", "INVALID_AUTH_HEADER":
                return .reauth
            case "REQUEST_LIMIT_EXCEEDED":
                // Too many concurrent long-running requests clears in seconds to minutes; the daily
                // allocation (TotalRequests) needs the rolling window to move.
                return message.contains("ConcurrentPerOrgLongTxn") ? .retry : .quotaExhausted
            case "DUPLICATE_VALUE":
                return .duplicateValue
            case "ALL_OR_NONE_OPERATION_ROLLED_BACK", "PROCESSING_HALTED", "BATCH_PROCESSING_HALTED":
                return .rolledBack
            case "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY":
                let transient = message.contains("UNABLE_TO_LOCK_ROW") || message.contains("Too many SOQL queries")
                return transient ? .retry : .permanent
            default:
                if retriableCodes.contains(code) { return .retry }
                if permanentCodes.contains(code) { return .permanent }
                if oauthCodes.contains(code) { return .authenticationFailed }
                return nil
            }
        }
    }
}
