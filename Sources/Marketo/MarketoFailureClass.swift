/// What a caller should do about a failed Marketo call or record: the classification of the reference's error
/// table (Marketo's error code documentation), decided once here so that every caller acts the same way.
public enum MarketoFailureClass: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Transient: timeouts, dropped connections, HTTP 5xx, 604, 608, 611, 614, 713, 719, bulk queue full
    /// (1016, 1019, 1029). Retry with exponential backoff and jitter.
    case retry
    /// The access token was refused (601, 602) even after the client's one automatic refresh and retry, or the
    /// identity service refused the client credentials. Fix or re-fetch credentials before retrying.
    case reauth
    /// The rolling-window rate limit (606) or the concurrency limit (615): wait, slow down, retry; never drop
    /// the command.
    case rateLimited
    /// The subscription's daily API quota is spent (607): park the tenant until the quota resets (midnight
    /// America/Chicago).
    case quotaExhausted
    /// Repeating the same request cannot succeed: validation errors, unknown fields (1006), invalid data
    /// (1003), lead not found (1004), unknown program status (1025), payload or URI too large (413/414), access
    /// denied (603) and every code the reference calls non-retryable. Dead-letter it.
    case permanent

    /// Whether the same request may succeed later without changes.
    public var isTransient: Bool { self != .permanent }

    public var description: String { rawValue }

    /// Classifies a Marketo error code (response-level `6xx`/`7xx` or record-level `1xxx`), as a string
    /// exactly as Marketo sends it.
    ///
    /// Codes the reference does not list are ``permanent``: an unknown code is more likely a request problem
    /// than an outage, and a dead letter can be replayed once understood.
    /// - Parameters:
    ///   - code: The code, such as `"606"` or `"1004"`; nil when Marketo sent a message without a code.
    ///   - message: The message, used where the code alone is ambiguous (1029 export daily quota, bulk queue
    ///     messages without a code).
    public static func classify(marketoCode code: String?, message: String = "") -> MarketoFailureClass {
        guard let code = code?.trimmingWhitespace(), !code.isEmpty else {
            // Seen in the wild without a code: "There are 10 imports currently being processed. Please try
            // again later" (the bulk import queue is full).
            return message.lowercased().contains("try again later") ? .retry : .permanent
        }
        switch code {
        case "600", "601", "602":
            return .reauth
        case "606", "615":
            return .rateLimited
        case "607":
            return .quotaExhausted
        case "500", "502", "503", "504", "604", "608", "611", "614", "713", "719":
            return .retry
        case "1016", "1019":
            return .retry
        case "1029":
            return message.lowercased().contains("daily quota") ? .quotaExhausted : .retry
        default:
            return .permanent
        }
    }

    /// Classifies an HTTP status other than 200 (plain-text bodies from Marketo's front end or a proxy).
    public static func classify(httpStatus status: Int) -> MarketoFailureClass {
        switch status {
        case 401: .reauth
        case 429: .rateLimited
        case 408, 500...599: .retry
        default: .permanent
        }
    }
}
