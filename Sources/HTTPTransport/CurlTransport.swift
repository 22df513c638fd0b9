public import Foundation
import Synchronization

// MARK: - CurlTransport

/// The CRM clients' HTTP transport: libcurl's multi interface on one thread per transport, with a connection pool.
///
/// How it keeps ``HTTPTransport``'s promises:
/// - the body is read out of the request by a read callback and never rewound once any of it has left, so
///   libcurl's own resend of a request on a reused connection that died ("connection died, retrying a fresh
///   connect") happens only when no body byte was sent, and otherwise fails the request as
///   ``HTTPTransportError/Kind/connectionLost``;
/// - a connection that failed is closed by libcurl, never returned to the pool; an idle pooled connection older
///   than ``HTTPTransportSettings/maxIdleConnectionAge`` is not reused;
/// - dead connections are found by the connect timeout, the low-speed window and TCP keepalive, in seconds;
/// - waiting costs nothing: `curl_multi_poll` sleeps until a socket or a timer needs the thread.
///
/// ```swift
/// let transport = try CurlTransport(settings: HTTPTransportSettings(lowSpeedWindow: .seconds(10)))
/// let response = try await transport.send(HTTPRequest(method: "GET", url: url))
/// ```
public final class CurlTransport: HTTPTransport {
    public let name = "curl"
    /// The settings every request of this transport uses.
    public let settings: HTTPTransportSettings
    private let loop: CurlMultiLoop
    private let nextId = Atomic<UInt64>(0)

    /// Creates a transport and its thread.
    /// - Parameters:
    ///   - settings: Timeouts and dead-connection detection.
    ///   - label: Names the thread (`leadsync-curl-<label>`).
    ///   - maxCachedConnections: Idle connections kept for reuse. Default 16.
    /// - Throws: ``HTTPTransportError`` (`invalidRequest`) for unusable settings, `other` when libcurl cannot start.
    public init(
        settings: HTTPTransportSettings = HTTPTransportSettings(),
        label: String = "http",
        maxCachedConnections: Int = 16
    ) throws(HTTPTransportError) {
        let problems = settings.problems()
        guard problems.isEmpty else {
            throw HTTPTransportError(
                kind: .invalidRequest,
                mayHaveBeenProcessed: false,
                message: problems.joined(separator: "; ")
            )
        }
        guard let loop = CurlMultiLoop(name: label, maxCachedConnections: maxCachedConnections) else {
            throw HTTPTransportError(
                kind: .other,
                mayHaveBeenProcessed: false,
                message: "libcurl could not start (\(CurlGlobal.version))"
            )
        }
        self.settings = settings
        self.loop = loop
    }

    deinit {
        loop.stop()
    }

    /// libcurl's version text.
    public static var libraryVersion: String { CurlGlobal.version }

    public func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        if Task.isCancelled {
            throw HTTPTransportError(
                kind: .cancelled,
                mayHaveBeenProcessed: false,
                message: "the calling task was cancelled"
            )
        }
        let id = nextId.add(1, ordering: .relaxed).newValue
        let transfer = try CurlTransfer(id: id, request: request, settings: settings)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.attach(continuation)
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(id)
        }
        return try result.get()
    }
}
