public import Foundation

// MARK: - HTTPRequest

/// One HTTP request as a CRM client means it: the method, the URL, the headers and the exact body bytes.
///
/// A transport sends exactly this body or nothing: it never sends it twice on its own, and never sends a
/// different one (see ``HTTPTransport``).
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    public var method: String
    /// The full URL, query included.
    public var url: URL
    /// Header fields in the order given (names as given; `Content-Length` is set by the transport).
    public var headers: [(name: String, value: String)]
    /// The body, or nil for none.
    public var body: Data?

    /// Creates a request.
    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
    }
}

// MARK: - HTTPResponse

/// One HTTP response: the status of the last response received (after any `100 Continue`), its header fields and
/// its body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields by lowercased name (a repeated field keeps its last value).
    public var headers: [String: String]
    /// The body bytes.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header field by name, case-insensitively.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
