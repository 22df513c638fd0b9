// MARK: - HTTPTransportError

/// Why no HTTP response arrived, and whether the server may have received (and acted on) the request.
///
/// That second part is what a writer needs for a call that appends (a custom activity): a failure before the
/// connection was made is safe to repeat; any later failure leaves the outcome unknown until it is read back from
/// the CRM.
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        /// No connection could be made (refused, unreachable, name not resolved): nothing was sent.
        case cannotConnect = "cannot_connect"
        /// The connection was not made within the connect timeout: nothing was sent.
        case connectTimeout = "connect_timeout"
        /// Fewer than the low-speed limit's bytes per second moved for the whole low-speed window: the connection
        /// is taken for dead.
        case stalled
        /// The whole request took longer than the request timeout.
        case timedOut = "timed_out"
        /// The connection closed or broke before a complete response arrived.
        case connectionLost = "connection_lost"
        /// The TLS handshake or certificate check failed.
        case tls
        /// The request cannot be sent as given (bad URL, unsupported method).
        case invalidRequest = "invalid_request"
        /// The calling task was cancelled; the transfer was aborted.
        case cancelled
        /// Anything else libcurl (or URLSession) reports.
        case other
    }

    /// What went wrong.
    public var kind: Kind
    /// Whether the request may have reached the server: false only when no connection was ever made.
    public var mayHaveBeenProcessed: Bool
    /// The transport's own words (libcurl's error buffer, URLError's description).
    public var message: String
    /// libcurl's `CURLcode` (or URLError's code), when there is one.
    public var code: Int?

    /// Creates an error.
    public init(kind: Kind, mayHaveBeenProcessed: Bool, message: String, code: Int? = nil) {
        self.kind = kind
        self.mayHaveBeenProcessed = mayHaveBeenProcessed
        self.message = message
        self.code = code
    }

    public var description: String {
        var text = "\(kind.rawValue): \(message)"
        if let code { text += " (code \(code))" }
        text += mayHaveBeenProcessed ? "; the request may have reached the server" : "; nothing was sent"
        return text
    }
}
