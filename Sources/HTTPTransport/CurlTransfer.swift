import CCurl
import Foundation

// MARK: - CurlTransfer

/// One request on its way through libcurl: the easy handle configured for it, the body being read out, the
/// response being collected, and the continuation of the task waiting for it.
///
/// Thread confinement instead of locks: after ``CurlMultiLoop`` takes a transfer, only its thread touches it
/// (libcurl calls the callbacks from inside `curl_multi_perform` there), until ``finish(_:)`` hands the result to
/// the waiting task. The callbacks reach it through ``CurlCallbacks`` (an unretained pointer; the loop holds the
/// strong reference while libcurl may call back).
final class CurlTransfer: @unchecked Sendable {
    /// The loop's key for it.
    let id: UInt64
    let easy: CurlEasyHandle
    private let headerList: CurlHeaderList
    private let body: [UInt8]
    /// How many body bytes libcurl has taken so far: once above zero the body may have left, and it is never
    /// rewound (no silent resend).
    private(set) var bodyPosition = 0
    private var responseBody = Data()
    private var responseHeaders: [String: String] = [:]
    private var continuation: CheckedContinuation<Result<HTTPResponse, HTTPTransportError>, Never>?
    private let lowSpeedWindow: Duration
    /// When a byte last moved either way, and the counts then (for the progress check).
    private var lastProgress: (at: ContinuousClock.Instant, downloaded: Int64, uploaded: Int64)?
    /// Whether the progress check aborted the transfer.
    private var stalled = false

    /// Configures an easy handle for `request`.
    /// - Throws: ``HTTPTransportError`` (`invalidRequest`) when libcurl cannot take the request.
    init(id: UInt64, request: HTTPRequest, settings: HTTPTransportSettings) throws(HTTPTransportError) {
        guard let easy = CurlEasyHandle() else {
            throw HTTPTransportError(kind: .other, mayHaveBeenProcessed: false, message: "libcurl has no easy handle")
        }
        self.id = id
        self.easy = easy
        self.lowSpeedWindow = settings.lowSpeedWindow
        body = request.body.map { Array($0) } ?? []
        var lines = request.headers.map { "\($0.name): \($0.value)" }
        // No `Expect: 100-continue` round trip, and no header libcurl would add on its own besides Host and
        // Content-Length.
        lines.append("Expect:")
        if !request.headers.contains(where: { $0.name.lowercased() == "accept" }) { lines.append("Accept:") }
        headerList = CurlHeaderList(lines)

        let scheme = request.url.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPTransportError(
                kind: .invalidRequest,
                mayHaveBeenProcessed: false,
                message: "not an http(s) URL: \(request.url.absoluteString.prefix(200))"
            )
        }
        var ok = easy.set(CURLOPT_URL, request.url.absoluteString)
        ok = easy.set(CURLOPT_PROTOCOLS_STR, "http,https") && ok
        ok = easy.set(CURLOPT_NOSIGNAL, 1) && ok
        ok = easy.set(headers: headerList) && ok
        ok = easy.set(CURLOPT_FOLLOWLOCATION, 0) && ok
        // Dead-connection detection: connect timeout, low-speed window, keepalive probes, the overall cap.
        ok = easy.set(CURLOPT_CONNECTTIMEOUT_MS, HTTPTransportSettings.milliseconds(settings.connectTimeout)) && ok
        ok = easy.set(CURLOPT_TIMEOUT_MS, HTTPTransportSettings.milliseconds(settings.requestTimeout)) && ok
        ok = easy.set(CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedLimit) && ok
        ok = easy.set(CURLOPT_LOW_SPEED_TIME, HTTPTransportSettings.seconds(settings.lowSpeedWindow)) && ok
        ok = easy.set(CURLOPT_TCP_KEEPALIVE, 1) && ok
        ok = easy.set(CURLOPT_TCP_KEEPIDLE, HTTPTransportSettings.seconds(settings.keepAliveIdle)) && ok
        ok = easy.set(CURLOPT_TCP_KEEPINTVL, HTTPTransportSettings.seconds(settings.keepAliveInterval)) && ok
        ok = easy.set(CURLOPT_MAXAGE_CONN, HTTPTransportSettings.seconds(settings.maxIdleConnectionAge)) && ok
        ok = easy.set(CURLOPT_ACCEPT_ENCODING, "") && ok

        let me = CurlCallbacks.userData(self)
        ok = easy.set(CURLOPT_PRIVATE, pointer: me) && ok
        ok = CurlCallbacks.install(on: easy, userData: me) && ok

        switch request.method {
        case "GET":
            ok = easy.set(CURLOPT_HTTPGET, 1) && ok
        case "HEAD":
            ok = easy.set(CURLOPT_NOBODY, 1) && ok
        default:
            if request.body != nil || request.method != "DELETE" {
                // The body is read out through the read callback, never copied into libcurl and never rewound.
                ok = easy.set(CURLOPT_POST, 1) && ok
                ok = easy.set(CURLOPT_POSTFIELDSIZE_LARGE, size: Int64(body.count)) && ok
            }
            if request.method != "POST" { ok = easy.set(CURLOPT_CUSTOMREQUEST, request.method) && ok }
        }
        guard ok else {
            throw HTTPTransportError(
                kind: .invalidRequest,
                mayHaveBeenProcessed: false,
                message: "libcurl refused an option of \(request.method) \(request.url.absoluteString.prefix(200))"
            )
        }
    }

    /// Attaches the waiting task (before the loop adds the transfer).
    func attach(_ continuation: CheckedContinuation<Result<HTTPResponse, HTTPTransportError>, Never>) {
        self.continuation = continuation
    }

    // MARK: Callbacks (on the loop thread)

    /// Copies the next body bytes into libcurl's buffer; returns how many.
    func readBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, body.count - bodyPosition)
        guard count > 0 else { return 0 }
        body.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[bodyPosition..<(bodyPosition + count)]))
        }
        bodyPosition += count
        return count
    }

    /// libcurl wants to send the body again (a reused connection died): allowed only while none of it has left.
    func rewindBody(to offset: Int64) -> Bool {
        offset == 0 && bodyPosition == 0
    }

    /// libcurl's progress report: false (abort) when no byte moved either way for the whole low-speed window.
    ///
    /// libcurl's own low-speed check averages the speed over its last five seconds, so it fires up to five
    /// seconds after the window; this check keeps the bound at the window (plus at most a second).
    func progress(downloaded: Int64, uploaded: Int64) -> Bool {
        let now = ContinuousClock.now
        guard let last = lastProgress, last.downloaded == downloaded, last.uploaded == uploaded else {
            lastProgress = (now, downloaded, uploaded)
            return true
        }
        if now - last.at >= lowSpeedWindow {
            stalled = true
            return false
        }
        return true
    }

    /// Appends response body bytes.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        responseBody.append(contentsOf: bytes)
    }

    /// Takes one response header line (a status line starts a new response: a `100 Continue` is forgotten).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            responseHeaders = [:]
            responseBody = Data()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders[name] = value
    }

    // MARK: Completion (on the loop thread)

    /// Ends the transfer with libcurl's result and resumes the waiting task.
    func finish(_ code: CURLcode) {
        let result: Result<HTTPResponse, HTTPTransportError>
        if code == CURLE_OK {
            result = .success(
                HTTPResponse(
                    status: easy.info(CURLINFO_RESPONSE_CODE) ?? 0,
                    headers: responseHeaders,
                    body: responseBody
                )
            )
        } else {
            result = .failure(error(for: code))
        }
        resume(result)
    }

    /// Ends the transfer without a result (cancelled, or the loop could not take it).
    func fail(_ error: HTTPTransportError) {
        resume(.failure(error))
    }

    private func resume(_ result: Result<HTTPResponse, HTTPTransportError>) {
        let waiting = continuation
        continuation = nil
        waiting?.resume(returning: result)
    }

    /// libcurl's code as a transport error: what happened, and whether the server may have the request.
    private func error(for code: CURLcode) -> HTTPTransportError {
        let text = easy.errorText(for: code)
        // A reused connection reports no connect time: what was sent says more.
        let sent = (easy.info(CURLINFO_REQUEST_SIZE) ?? 0) > 0 || bodyPosition > 0
        let connected = sent || (easy.info(offset: CURLINFO_CONNECT_TIME_T) ?? 0) > 0
        let kind: HTTPTransportError.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            kind = .cannotConnect
        case CURLE_OPERATION_TIMEDOUT:
            if !connected {
                kind = .connectTimeout
            } else {
                kind = text.contains("too slow") ? .stalled : .timedOut
            }
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_SEND_FAIL_REWIND,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY:
            kind = .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidRequest
        case CURLE_ABORTED_BY_CALLBACK:
            kind = stalled ? .stalled : .cancelled
        default:
            kind = .other
        }
        let mayHaveBeenProcessed: Bool
        switch kind {
        case .cannotConnect, .connectTimeout, .invalidRequest: mayHaveBeenProcessed = false
        default: mayHaveBeenProcessed = sent
        }
        var message = text
        if kind == .stalled {
            message = "no byte moved for the \(HTTPTransportSettings.seconds(lowSpeedWindow)) s low-speed window"
        }
        return HTTPTransportError(
            kind: kind,
            mayHaveBeenProcessed: mayHaveBeenProcessed,
            message: message,
            code: Int(code.rawValue)
        )
    }
}
