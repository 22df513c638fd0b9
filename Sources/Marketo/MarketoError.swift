/// A Marketo call that failed as a whole: the API answered `success:false`, the HTTP status was not 200, the
/// connection failed, or the answer could not be read.
///
/// It carries what a person needs to act: which endpoint, the HTTP status, Marketo's code, message and
/// `requestId` (quote it to Adobe support), and the ``failureClass`` that says what the caller should do.
public struct MarketoError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var code: Code
    /// What the caller should do: retry, re-authenticate, wait for the rate window, park the tenant, or
    /// dead-letter.
    public var failureClass: MarketoFailureClass
    /// The endpoint that was called.
    public var endpoint: MarketoCallEndpoint
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// Marketo's error code as it arrived (a string such as `"606"`), for ``Code/api`` errors.
    public var marketoCode: String?
    /// Marketo's message, the HTTP body's first line, or the transport's description.
    public var message: String
    /// Marketo's `requestId`, when the response had one.
    public var requestId: String?
    /// Whether Marketo may have carried out the call although it failed: no (or no readable) answer after the
    /// request may have left, or an HTTP 5xx from Marketo's front end. A caller that appends (custom activities)
    /// must then read back what happened before sending again. False for answers that say the call was refused
    /// (`success:false` codes mean "not executed").
    public var mayHaveBeenProcessed = false

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - failureClass: What the caller should do.
    ///   - endpoint: The endpoint called.
    ///   - httpStatus: The HTTP status, if a response arrived.
    ///   - marketoCode: Marketo's code, if any.
    ///   - message: A description.
    ///   - requestId: Marketo's request id, if any.
    public init(
        code: Code,
        failureClass: MarketoFailureClass,
        endpoint: MarketoCallEndpoint,
        httpStatus: Int? = nil,
        marketoCode: String? = nil,
        message: String,
        requestId: String? = nil
    ) {
        self.code = code
        self.failureClass = failureClass
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.marketoCode = marketoCode
        self.message = message
        self.requestId = requestId
    }

    /// A short code for metrics and dead-letter headers: Marketo's code (`"606"`), `http_<status>`, or the
    /// ``code``'s name (`transport`, `invalid_response`, …).
    public var resultCode: String {
        if let marketoCode { return marketoCode }
        if code == .http, let httpStatus { return "http_\(httpStatus)" }
        return code.name
    }

    public var description: String {
        var text = "Marketo \(endpoint.name) failed [\(failureClass)]: \(code.name)"
        if let marketoCode { text += " \(marketoCode)" }
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        text += ": \(message)"
        if let requestId { text += " (requestId \(requestId))" }
        return text
    }
}

// MARK: - Codes

extension MarketoError {
    /// The kind of failure; extensible, like `KafkaError.Code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case api = "api"
            case http = "http"
            case transport = "transport"
            case invalidResponse = "invalid_response"
            case invalidCredentials = "invalid_credentials"
            case invalidRequest = "invalid_request"
            case invalidConfiguration = "invalid_configuration"
            case timedOut = "timed_out"
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The code's name, as used in ``MarketoError/resultCode`` and logs.
        public var name: String { kind.rawValue }

        public var description: String { name }

        /// Marketo answered `success:false`; see ``MarketoError/marketoCode``.
        public static let api = Code(.api)
        /// The HTTP status was not 200 (413 body too large, 414 URI too long, 5xx, …); see
        /// ``MarketoError/httpStatus``.
        public static let http = Code(.http)
        /// No response: connection refused or dropped, timeout, DNS (a `URLError`).
        public static let transport = Code(.transport)
        /// A response arrived but is not what the reference describes (not JSON, result count differs from the
        /// input count, …).
        public static let invalidResponse = Code(.invalidResponse)
        /// The identity service refused the client id or secret (HTTP 401).
        public static let invalidCredentials = Code(.invalidCredentials)
        /// The client could not build the request (for example a value that cannot be encoded).
        public static let invalidRequest = Code(.invalidRequest)
        /// The client configuration is unusable (see ``MarketoClientConfiguration/problems()``).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The client stopped waiting for something Marketo does asynchronously (a bulk import still running).
        public static let timedOut = Code(.timedOut)
    }
}
