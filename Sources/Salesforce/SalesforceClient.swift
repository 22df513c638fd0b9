import Foundation
public import HTTPTransport
import Logging
import Synchronization

// MARK: - SalesforceClient

/// The Salesforce writer's API client: OAuth tokens, SOQL queries, sObject upserts, sObject Collections,
/// Bulk API 2.0 ingest and limits, over `HTTPTransport.CurlTransport` (libcurl), with typed results in input order
/// and every failure classified (``SalesforceError/Classification``).
///
/// One client serves one org (one tenant's connected app). It is safe to share between tasks:
/// - the access token is cached and reused for every call (Salesforce sends no expiry);
/// - a call answered 401 `INVALID_SESSION_ID` triggers one token refresh, shared by every call that hit the same
///   stale token, and is replayed once; a second 401 re-reads the credentials
///   (``SalesforceClientConfiguration/reloadCredentials``) and, when they changed, refreshes and replays a last
///   time; otherwise it is classified ``SalesforceError/Classification/reauth``;
/// - a token request refused for its credentials re-reads them the same way and, when they changed, is made once
///   more;
/// - every answer's `Sforce-Limit-Info` updates ``apiUsage``;
/// - every HTTP call is reported once to the call observer.
///
/// It does not batch, rate-limit or retry (besides the one replay after a refresh): the writer does.
///
/// ```swift
/// let client = SalesforceClient(configuration: .init(
///     loginURL: URL(string: "https://acme.my.salesforce.com")!,
///     credentials: .clientCredentials(clientId: id, clientSecret: secret)))
/// let leads = try await client.findLeads(byEmail: ["jane@example.com"])
/// ```
public final class SalesforceClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: SalesforceClientConfiguration
    /// The HTTP transport (libcurl unless a test or benchmark gave another).
    let transport: any HTTPTransport
    private let observer: (@Sendable (SalesforceCallRecord) -> Void)?
    private let state = Mutex<State>(State())

    private struct State {
        var token: SalesforceAccessToken?
        var refresh: Task<SalesforceAccessToken, any Error>?
        var generation = 0
        var apiUsage: SalesforceAPIUsage?
        /// The credentials in use: the configuration's, replaced when a re-read finds new ones.
        var credentials: SalesforceCredentials?
    }

    /// Creates a client over its own `HTTPTransport.CurlTransport`. No call is made until the first request
    /// (which fetches a token).
    /// - Parameters:
    ///   - configuration: Where and how to connect.
    ///   - callObserver: Called once per HTTP call (token calls and replays included) with its endpoint, record
    ///     count, outcome and duration. Called on the task that made the call: keep it quick.
    public convenience init(
        configuration: SalesforceClientConfiguration,
        callObserver: (@Sendable (SalesforceCallRecord) -> Void)? = nil
    ) {
        let transport: any HTTPTransport
        do {
            transport = try CurlTransport(settings: configuration.transportSettings, label: "salesforce")
        } catch {
            // Settings libcurl refuses: fall back to the defaults with the request timeout (never expected, the
            // settings are validated with the configuration).
            configuration.logger.error(
                "Salesforce HTTP settings refused, using the defaults",
                metadata: ["error": "\(error)"]
            )
            transport = (try? CurlTransport(label: "salesforce")) ?? URLSessionTransport()
        }
        self.init(configuration: configuration, transport: transport, callObserver: callObserver)
    }

    /// Creates a client over a given transport (`leadsync bench http` compares transports this way).
    public init(
        configuration: SalesforceClientConfiguration,
        transport: any HTTPTransport,
        callObserver: (@Sendable (SalesforceCallRecord) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.observer = callObserver
        self.transport = transport
    }

    var logger: Logger { configuration.logger }

    /// The org's API usage in the rolling 24-hour window from the latest `Sforce-Limit-Info` header; nil before
    /// the first API answer.
    public var apiUsage: SalesforceAPIUsage? {
        state.withLock { $0.apiUsage }
    }

    /// Drops the cached token, so that the next call fetches a new one (e.g. after rotating credentials).
    public func invalidateToken() {
        state.withLock { $0.token = nil }
    }

    // MARK: - Calls with a token

    /// Sends an API request with the cached token; on 401 `INVALID_SESSION_ID` refreshes the token (once for all
    /// concurrent callers of the same stale token) and replays the request once.
    /// - Returns: The answer, when its status is one of the request's accepted statuses.
    /// - Throws: ``SalesforceError`` for any other answer or when no answer arrives.
    func send(_ request: SalesforceAPIRequest) async throws(SalesforceError) -> SalesforceAPIReply {
        var token = try await accessToken(replacing: nil)
        var (reply, failure) = try await transmit(request, token: token)
        // jsforce does not refresh for a session that is valid but not for the REST API: a new token would not help.
        if reply.status == 401, let expired = failure, expired.errorCode == "INVALID_SESSION_ID",
            !expired.message.contains("not valid for use with the REST API")
        {
            logger.info(
                "Salesforce session invalid; refreshing the token and replaying the call",
                metadata: ["salesforce.endpoint": "\(request.endpoint)", "salesforce.token": "\(token.generation)"]
            )
            token = try await accessToken(replacing: token)
            (reply, failure) = try await transmit(request, token: token)
            if reply.status == 401, failure?.errorCode == "INVALID_SESSION_ID",
                reloadCredentials(after: "a freshly issued token was refused with INVALID_SESSION_ID")
            {
                token = try await accessToken(replacing: token)
                (reply, failure) = try await transmit(request, token: token)
            }
        }
        if let failure { throw failure }
        return reply
    }

    private func transmit(
        _ request: SalesforceAPIRequest,
        token: SalesforceAccessToken
    ) async throws(SalesforceError) -> (SalesforceAPIReply, SalesforceError?) {
        guard let url = URL(string: token.instanceURL + request.path) else {
            throw SalesforceError(
                endpoint: request.endpoint,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "cannot form a URL from the instance URL and path \(request.path.prefix(200))"
            )
        }
        var headers = request.extraHeaders
        headers["Authorization"] = "Bearer \(token.value)"
        headers["Accept"] = request.accept
        if let contentType = request.contentType { headers["Content-Type"] = contentType }
        return try await exchange(
            endpoint: request.endpoint,
            method: request.method,
            url: url,
            headers: headers,
            body: request.body,
            recordCount: request.recordCount,
            acceptedStatuses: request.acceptedStatuses
        )
    }

    // MARK: - HTTP

    /// One HTTP exchange: sends, times, reads `Sforce-Limit-Info`, reports to the observer.
    /// - Returns: The answer and, when its status is not accepted, the error it stands for.
    /// - Throws: ``SalesforceError`` (classified retry) when no answer arrives.
    func exchange(
        endpoint: SalesforceEndpoint,
        method: String,
        url: URL,
        headers: [String: String],
        body: Data?,
        recordCount: Int,
        acceptedStatuses: ClosedRange<Int>
    ) async throws(SalesforceError) -> (SalesforceAPIReply, SalesforceError?) {
        let request = HTTPRequest(
            method: method,
            url: url,
            headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            body: body
        )
        let clock = ContinuousClock()
        let start = clock.now
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            var failure = SalesforceError(
                endpoint: endpoint,
                httpStatus: nil,
                errorCode: SalesforceError.Code.network,
                message: "no answer: \(error.kind.rawValue): \(error.message)",
                classification: .retry
            )
            failure.mayHaveBeenProcessed = error.mayHaveBeenProcessed
            report(endpoint, recordCount: recordCount, status: nil, failure: failure, duration: clock.now - start)
            logger.debug(
                "Salesforce call got no answer",
                metadata: ["salesforce.endpoint": "\(endpoint)", "salesforce.error": "\(failure.message)"]
            )
            throw failure
        }
        let duration = clock.now - start
        let fields = response.headers
        let reply = SalesforceAPIReply(status: response.status, headers: fields, body: response.body)
        if let limitInfo = fields["sforce-limit-info"], let usage = SalesforceAPIUsage(limitInfoHeader: limitInfo) {
            state.withLock { $0.apiUsage = usage }
        }
        let failure = acceptedStatuses.contains(reply.status) ? nil : Self.error(from: reply, endpoint: endpoint)
        report(endpoint, recordCount: recordCount, status: reply.status, failure: failure, duration: duration)
        logger.trace(
            "Salesforce call answered",
            metadata: [
                "salesforce.endpoint": "\(endpoint)", "salesforce.status": "\(reply.status)",
                "salesforce.records": "\(recordCount)", "salesforce.duration": "\(duration)",
            ]
        )
        return (reply, failure)
    }

    private func report(
        _ endpoint: SalesforceEndpoint,
        recordCount: Int,
        status: Int?,
        failure: SalesforceError?,
        duration: Duration
    ) {
        observer?(
            SalesforceCallRecord(
                endpoint: endpoint,
                recordCount: recordCount,
                httpStatus: status,
                errorCode: failure?.errorCode,
                classification: failure?.classification,
                duration: duration
            )
        )
    }

    // MARK: - Tokens

    private enum TokenSource {
        case cached(SalesforceAccessToken)
        case pending(Task<SalesforceAccessToken, any Error>)
    }

    /// The token to use: the cached one, unless it is `stale` (then a refresh, shared by every caller that saw
    /// the same stale token).
    func accessToken(replacing stale: SalesforceAccessToken?) async throws(SalesforceError) -> SalesforceAccessToken {
        let source: TokenSource = state.withLock { state in
            if let token = state.token, token.value != stale?.value {
                return .cached(token)
            }
            if let refresh = state.refresh {
                return .pending(refresh)
            }
            state.token = nil
            let refresh = Task { [self] in
                do {
                    let token = try await self.requestToken()
                    self.state.withLock { state in
                        state.token = token
                        state.refresh = nil
                    }
                    return token
                } catch {
                    self.state.withLock { $0.refresh = nil }
                    throw error
                }
            }
            state.refresh = refresh
            return .pending(refresh)
        }
        switch source {
        case .cached(let token):
            return token
        case .pending(let refresh):
            do {
                return try await refresh.value
            } catch let error as SalesforceError {
                throw error
            } catch {
                throw SalesforceError(
                    endpoint: .token,
                    httpStatus: nil,
                    errorCode: SalesforceError.Code.network,
                    message: "\(error)"
                )
            }
        }
    }

    private struct TokenResponse: Decodable {
        var accessToken: String
        var instanceURL: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case instanceURL = "instance_url"
        }
    }

    /// The credentials in use.
    var credentials: SalesforceCredentials {
        state.withLock { $0.credentials } ?? configuration.credentials
    }

    /// Reads the credentials again (``SalesforceClientConfiguration/reloadCredentials``).
    /// - Returns: Whether different credentials were read (and are now in use).
    func reloadCredentials(after reason: String) -> Bool {
        guard let reload = configuration.reloadCredentials else { return false }
        let fresh: SalesforceCredentials
        do {
            fresh = try reload()
        } catch {
            logger.error(
                "Salesforce credentials cannot be re-read",
                metadata: ["salesforce.reason": "\(reason)", "salesforce.error": "\(error)"]
            )
            return false
        }
        let changed = state.withLock { state in
            guard fresh != (state.credentials ?? configuration.credentials) else { return false }
            state.credentials = fresh
            return true
        }
        logger.notice(
            changed
                ? "Salesforce credentials re-read: they changed, retrying once with the new ones"
                : "Salesforce credentials re-read: unchanged, not retrying",
            metadata: ["salesforce.reason": "\(reason)"]
        )
        return changed
    }

    /// A token for the credentials in use; when the token endpoint refuses them, they are re-read and, if they
    /// changed (a rotated secret or key), the request is made once more.
    private func requestToken() async throws(SalesforceError) -> SalesforceAccessToken {
        do {
            return try await requestToken(with: credentials)
        } catch  where error.classification == .authenticationFailed {
            guard reloadCredentials(after: "the token endpoint refused the credentials (\(error.errorCode ?? "-"))")
            else { throw error }
            return try await requestToken(with: credentials)
        }
    }

    private func requestToken(
        with credentials: SalesforceCredentials
    ) async throws(SalesforceError)
        -> SalesforceAccessToken
    {
        let form: [(String, String)]
        switch credentials {
        case .clientCredentials(let clientId, let clientSecret):
            form = [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", clientSecret)]
        case .jwtBearer(let clientId, let username, let audience, let privateKeyPEM):
            let assertion = try JWTBearerAssertion.make(
                clientId: clientId,
                username: username,
                audience: audience,
                privateKeyPEM: privateKeyPEM,
                now: Date()
            )
            form = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)]
        }
        let body = form.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let base = configuration.loginURL.absoluteString.trimmingTrailingSlashes()
        guard let url = URL(string: base + "/services/oauth2/token") else {
            throw SalesforceError(
                endpoint: .token,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "the login URL \(base) cannot hold a token path",
                classification: .authenticationFailed
            )
        }
        let (reply, failure) = try await exchange(
            endpoint: .token,
            method: "POST",
            url: url,
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
            body: Data(body.utf8),
            recordCount: 0,
            acceptedStatuses: 200...200
        )
        if let failure {
            logger.warning(
                "Salesforce token request refused",
                metadata: [
                    "salesforce.status": "\(reply.status)", "salesforce.error": "\(failure.errorCode ?? "-")",
                    "salesforce.client_id": "\(credentials.clientId)",
                ]
            )
            throw failure
        }
        let decoded = try Self.decode(TokenResponse.self, from: reply, endpoint: .token)
        let generation = state.withLock { state in
            state.generation += 1
            return state.generation
        }
        logger.debug("Salesforce token issued", metadata: ["salesforce.token": "\(generation)"])
        return SalesforceAccessToken(
            value: decoded.accessToken,
            instanceURL: decoded.instanceURL.trimmingTrailingSlashes(),
            generation: generation
        )
    }

    // MARK: - Encoding and decoding

    /// Percent-encodes everything but RFC 3986 unreserved characters (a strict form of
    /// `application/x-www-form-urlencoded` and of query values).
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        // `alphanumerics` includes non-ASCII letters; restrict to ASCII by encoding anything beyond.
        var encoded = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, allowed.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 {
                    encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            }
        }
        return encoded
    }

    static func decode<Value: Decodable>(
        _ type: Value.Type,
        from reply: SalesforceAPIReply,
        endpoint: SalesforceEndpoint
    ) throws(SalesforceError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: reply.body)
        } catch {
            throw SalesforceError(
                endpoint: endpoint,
                httpStatus: reply.status,
                errorCode: SalesforceError.Code.unexpectedResponse,
                message: "cannot read the answer as \(Value.self): \(reply.text.prefix(300))"
            )
        }
    }

    static func encode<Value: Encodable>(
        _ value: Value,
        endpoint: SalesforceEndpoint
    ) throws(SalesforceError) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw SalesforceError(
                endpoint: endpoint,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "cannot encode the request body: \(error)"
            )
        }
    }

    /// Reads any of Salesforce's error shapes into an error.
    static func error(from reply: SalesforceAPIReply, endpoint: SalesforceEndpoint) -> SalesforceError {
        let json = try? JSONDecoder().decode(SalesforceValue.self, from: reply.body)
        func text(_ value: SalesforceValue?) -> String? { value?.stringValue }
        switch json {
        case .array(let items):
            // REST: [{"message","errorCode","fields"}]; a 300 upsert answer is an array of record URLs.
            if case .object(let first)? = items.first {
                let code = text(first["errorCode"]) ?? text(first["statusCode"])
                var fields: [String] = []
                if case .array(let names)? = first["fields"] { fields = names.compactMap(\.stringValue) }
                return SalesforceError(
                    endpoint: endpoint,
                    httpStatus: reply.status,
                    errorCode: code,
                    message: text(first["message"]) ?? "",
                    fields: fields
                )
            }
        case .object(let members):
            if let code = text(members["error"]) {
                // OAuth: {"error","error_description"}
                return SalesforceError(
                    endpoint: endpoint,
                    httpStatus: reply.status,
                    errorCode: code,
                    message: text(members["error_description"]) ?? ""
                )
            }
            if case .object(let edge)? = members["error"] {
                // The Salesforce edge: {"error":{"message":…}}
                return SalesforceError(
                    endpoint: endpoint,
                    httpStatus: reply.status,
                    errorCode: nil,
                    message: text(edge["message"]) ?? reply.text
                )
            }
            if let code = text(members["errorCode"]) {
                return SalesforceError(
                    endpoint: endpoint,
                    httpStatus: reply.status,
                    errorCode: code,
                    message: text(members["message"]) ?? ""
                )
            }
        default:
            break
        }
        let snippet = reply.text.prefix(300)
        return SalesforceError(
            endpoint: endpoint,
            httpStatus: reply.status,
            errorCode: nil,
            message: snippet.isEmpty ? "HTTP \(reply.status) with an empty body" : String(snippet)
        )
    }
}

// MARK: - Helpers

extension String {
    /// The text without trailing `/`.
    func trimmingTrailingSlashes() -> String {
        var text = Substring(self)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// The text with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
