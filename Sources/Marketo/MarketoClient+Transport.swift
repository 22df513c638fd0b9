import Basics
import Foundation
import HTTPTransport
import Logging

extension MarketoClient {
    // MARK: - Authorized calls

    /// Sends an authorized request and reads it with `interpret`; on 601/602 refreshes the token once and sends
    /// the request once more; a second 601/602 re-reads the client secret and, if it changed, fetches a token
    /// with the new secret and sends the request a last time. Reports every HTTP exchange to the observer.
    /// - Parameters:
    ///   - request: The call, without its access token (added here, and again after a refresh).
    ///   - interpret: Reads a response (throws ``MarketoError``); returns the value, how many records failed and
    ///     the `requestId`.
    func authorizedCall<Value>(
        _ request: MarketoHTTPRequest,
        interpret: (MarketoHTTPResponse) throws -> (value: Value, failedRecords: Int, requestId: String?)
    ) async throws -> Value {
        var token = try await tokens.token(now: configuration.clock(), fetch: tokenFetcher())
        var attempt = 0
        while true {
            attempt += 1
            let started = ContinuousClock.now
            do {
                let response = try await exchange(request, token: token)
                let (value, failedRecords, requestId) = try interpret(response)
                report(
                    request,
                    failedRecords: failedRecords,
                    error: nil,
                    httpStatus: response.status,
                    requestId: requestId,
                    duration: ContinuousClock.now - started
                )
                return value
            } catch let error as MarketoError {
                let isTokenRefused = error.code == .api && (error.marketoCode == "601" || error.marketoCode == "602")
                let willRetry =
                    isTokenRefused
                    && (attempt == 1
                        || (attempt == 2 && reloadClientSecret(after: "Marketo refused a freshly fetched token")))
                report(
                    request,
                    failedRecords: 0,
                    error: error,
                    httpStatus: error.httpStatus,
                    requestId: error.requestId,
                    duration: ContinuousClock.now - started,
                    logLevel: willRetry ? .debug : .info
                )
                guard willRetry else { throw error }
                logger.debug(
                    "Marketo refused the access token, refreshing it once",
                    metadata: [MarketoLoggingKeys.endpoint: "\(request.endpoint.name)"]
                )
                token = try await tokens.token(replacing: token, now: configuration.clock(), fetch: tokenFetcher())
            }
        }
    }

    /// Sends an authorized request whose answer is the JSON envelope, checks `success`, and returns it.
    func envelopeCall<Item: Decodable>(
        _ request: MarketoHTTPRequest,
        of item: Item.Type,
        failedRecords: @escaping (MarketoEnvelope<Item>) -> Int = { _ in 0 }
    ) async throws -> MarketoEnvelope<Item> {
        try await authorizedCall(request) { response in
            let envelope = try decodeEnvelope(response, as: MarketoEnvelope<Item>.self, endpoint: request.endpoint)
            try checkSuccess(success: envelope.success, errors: envelope.errors, requestId: envelope.requestId, request)
            return (envelope, failedRecords(envelope), envelope.requestId)
        }
    }

    // MARK: - Reading responses

    /// Decodes a 200 JSON response; any other status is an ``MarketoError/Code/http`` error.
    func decodeEnvelope<Envelope: Decodable>(
        _ response: MarketoHTTPResponse,
        as type: Envelope.Type,
        endpoint: MarketoCallEndpoint
    ) throws -> Envelope {
        guard response.status == 200 else { throw httpError(response, endpoint: endpoint) }
        do {
            return try JSONDecoder().decode(Envelope.self, from: response.body)
        } catch {
            var failure = MarketoError(
                code: .invalidResponse,
                failureClass: .retry,
                endpoint: endpoint,
                httpStatus: response.status,
                message: "the response is not the JSON Marketo documents: \(response.summary)"
            )
            failure.mayHaveBeenProcessed = true
            throw failure
        }
    }

    /// Throws the first of `errors` when the call did not succeed (HTTP 200 with `success:false`).
    func checkSuccess(
        success: Bool?,
        errors: [MarketoWireReason]?,
        requestId: String?,
        _ request: MarketoHTTPRequest
    ) throws {
        let errors = errors ?? []
        guard success == false || (success == nil && !errors.isEmpty) else { return }
        let first = errors.first?.reason ?? MarketoReason(code: "", message: "success:false without errors")
        throw MarketoError(
            code: .api,
            failureClass: MarketoFailureClass.classify(marketoCode: first.code, message: first.message),
            endpoint: request.endpoint,
            httpStatus: 200,
            marketoCode: first.code.isEmpty ? nil : first.code,
            message: errors.count > 1 ? errors.map(\.reason.description).joined(separator: "; ") : first.message,
            requestId: requestId
        )
    }

    /// The error for a status other than 200 (Marketo's front end answers 413, 414 and 5xx in plain text).
    func httpError(_ response: MarketoHTTPResponse, endpoint: MarketoCallEndpoint) -> MarketoError {
        let failureClass = MarketoFailureClass.classify(httpStatus: response.status)
        var message = response.summary
        switch response.status {
        case 413: message = "request body too large (1 MB for REST calls, 10 MB for imports): \(message)"
        case 414: message = "request URI longer than 8 KB: \(message)"
        default: break
        }
        var failure = MarketoError(
            code: .http,
            failureClass: failureClass,
            endpoint: endpoint,
            httpStatus: response.status,
            message: message.isEmpty ? "HTTP \(response.status)" : message
        )
        failure.mayHaveBeenProcessed = response.status >= 500
        return failure
    }

    // MARK: - HTTP

    /// Sends one request; network failures become ``MarketoError/Code/transport`` errors (class retry) that say
    /// whether Marketo may have received the request (``MarketoError/mayHaveBeenProcessed``).
    func exchange(_ request: MarketoHTTPRequest, token: String?) async throws -> MarketoHTTPResponse {
        let url = try url(for: request)
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let contentType = request.contentType { headers.append(("Content-Type", contentType)) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let httpRequest = HTTPRequest(method: request.method, url: url, headers: headers, body: request.body)
        do {
            let response = try await transport.send(httpRequest)
            return MarketoHTTPResponse(
                status: response.status,
                body: response.body,
                contentType: response.header("Content-Type")
            )
        } catch {
            if error.kind == .cancelled, Task.isCancelled { throw CancellationError() }
            var failure = MarketoError(
                code: .transport,
                failureClass: .retry,
                endpoint: request.endpoint,
                message: "\(Self.describe(error.kind)): \(error.message)"
            )
            failure.mayHaveBeenProcessed = error.mayHaveBeenProcessed
            throw failure
        }
    }

    /// `{base}{path}?{query}` with the query percent-encoded as a form.
    func url(for request: MarketoHTTPRequest) throws -> URL {
        var text = configuration.baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += request.path
        if !request.query.isEmpty { text += "?" + Self.formEncode(request.query) }
        guard let url = URL(string: text) else {
            throw MarketoError(
                code: .invalidRequest,
                failureClass: .permanent,
                endpoint: request.endpoint,
                message: "cannot build a URL for \(request.path)"
            )
        }
        return url
    }

    /// `application/x-www-form-urlencoded` text of name-value pairs.
    static func formEncode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (so `+`, `&`, `=`, `,` are encoded too).
    static func percentEncode(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                encoded.unicodeScalars.append("%")
                encoded.unicodeScalars.append(hex[Int(byte >> 4)])
                encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    private static func describe(_ kind: HTTPTransportError.Kind) -> String {
        switch kind {
        case .cannotConnect: "cannot connect to host"
        case .connectTimeout: "connect timed out"
        case .stalled: "connection stalled"
        case .timedOut: "request timed out"
        case .connectionLost: "connection dropped before the response"
        case .tls: "TLS handshake failed"
        case .invalidRequest: "invalid request"
        case .cancelled: "cancelled"
        case .other: "network error"
        }
    }

    // MARK: - Accounting

    /// Reports one HTTP exchange to the observer and the log.
    func report(
        _ request: MarketoHTTPRequest,
        failedRecords: Int,
        error: MarketoError?,
        httpStatus: Int?,
        requestId: String?,
        duration: Duration,
        logLevel: Logger.Level = .info
    ) {
        let record = MarketoCallRecord(
            endpoint: request.endpoint,
            method: request.method,
            records: request.records,
            failedRecords: failedRecords,
            error: error,
            httpStatus: httpStatus,
            requestId: requestId,
            duration: duration
        )
        configuration.callObserver?(record)
        var metadata: Logger.Metadata = [
            MarketoLoggingKeys.endpoint: "\(request.endpoint.name)",
            MarketoLoggingKeys.method: "\(request.method)",
            MarketoLoggingKeys.records: "\(request.records)",
            MarketoLoggingKeys.result: "\(record.resultCode)",
            MarketoLoggingKeys.durationMs: "\(duration.milliseconds)",
        ]
        if failedRecords > 0 { metadata[MarketoLoggingKeys.failedRecords] = "\(failedRecords)" }
        if let httpStatus { metadata[MarketoLoggingKeys.httpStatus] = "\(httpStatus)" }
        if let requestId { metadata[MarketoLoggingKeys.requestId] = "\(requestId)" }
        if let error {
            metadata[MarketoLoggingKeys.failureClass] = "\(error.failureClass)"
            logger.log(level: logLevel, "Marketo call failed", metadata: metadata)
        } else {
            logger.debug("Marketo call finished", metadata: metadata)
        }
    }
}
