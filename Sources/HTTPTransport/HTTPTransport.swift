// MARK: - HTTPTransport

/// Sends HTTP requests for the CRM clients.
///
/// Every transport keeps three promises, which the writers' exactly-once design rests on:
/// - the body sent is exactly ``HTTPRequest/body``, never an empty or partial one;
/// - a request whose body has left is never sent again by the transport itself (a resend of a custom activity is
///   a duplicate); a failure says whether the request may have reached the server
///   (``HTTPTransportError/mayHaveBeenProcessed``) so that the caller can settle the outcome;
/// - a dead connection fails the request within its connect timeout or low-speed window, not at the request
///   timeout.
///
/// ``CurlTransport`` (libcurl's multi interface on one thread) keeps all three and is what the clients use;
/// ``URLSessionTransport`` is the comparison baseline of `leadsync bench http` (docs/benchmarks.md).
public protocol HTTPTransport: Sendable {
    /// A short name for logs and benchmarks (`curl`, `urlsession`).
    var name: String { get }

    /// Sends one request and returns the response, whatever its status.
    /// - Throws: ``HTTPTransportError`` when no complete response arrived.
    func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse
}
