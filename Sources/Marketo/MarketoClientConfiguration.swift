public import Foundation
public import HTTPTransport
public import Logging

/// How a ``MarketoClient`` reaches one Marketo subscription.
///
/// The client secret is held as given (the caller resolves secret references) and never appears in
/// `description`, `debugDescription`, mirrors or logs.
public struct MarketoClientConfiguration: Sendable {
    /// The subscription's base URL, `https://{munchkinId}.mktorest.com` (REST calls go to `{base}/rest/...`,
    /// bulk calls to `{base}/bulk/...`, tokens come from `{base}/identity/oauth/token`).
    public var baseURL: URL
    /// The custom service's client id.
    public var clientId: String
    /// The custom service's client secret.
    public var clientSecret: String
    /// How long one HTTP call may take before it fails with a transport timeout (Marketo's own server
    /// timeouts go up to 120 s for Sync Custom Objects).
    public var requestTimeout: Duration
    /// Dead-connection detection of the HTTP transport: connect timeout, low-speed window, keepalive (its
    /// `requestTimeout` is replaced by ``requestTimeout``).
    public var http: HTTPTransportSettings
    /// How long before the token's expiry the client fetches a new one (at most a tenth of the lifetime the
    /// identity service reports, so short test lifetimes work too).
    public var tokenRefreshMargin: Duration
    /// The logger; messages are constant, metadata never holds the secret, tokens or emails.
    public var logger: Logger
    /// Called once per HTTP call when it ends (see ``MarketoCallRecord``). It runs on the calling task: keep it
    /// fast and non-blocking.
    public var callObserver: (@Sendable (MarketoCallRecord) -> Void)?
    /// The time source for token expiry (tests share a manual clock with the sandbox).
    public var clock: @Sendable () -> Date
    /// Reads the client secret again from where it is kept (an environment variable, a mounted file), after the
    /// identity service refused the secret or Marketo refused a freshly fetched token (601/602): when the value
    /// changed, the token is fetched with it and the call is made once more. Nil never re-reads.
    public var reloadClientSecret: (@Sendable () throws -> String)?

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: `https://{munchkinId}.mktorest.com`.
    ///   - clientId: The client id.
    ///   - clientSecret: The client secret.
    ///   - requestTimeout: The timeout of one HTTP call.
    ///   - tokenRefreshMargin: How long before expiry to refresh the token.
    ///   - logger: The logger.
    ///   - callObserver: The per-call accounting hook.
    ///   - clock: The time source for token expiry.
    ///   - http: Dead-connection detection of the HTTP transport.
    ///   - reloadClientSecret: Re-reads the secret after Marketo refused it (see ``reloadClientSecret``).
    public init(
        baseURL: URL,
        clientId: String,
        clientSecret: String,
        requestTimeout: Duration = .seconds(130),
        tokenRefreshMargin: Duration = .seconds(60),
        logger: Logger = Logger(label: "leadsync.marketo"),
        callObserver: (@Sendable (MarketoCallRecord) -> Void)? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        http: HTTPTransportSettings = HTTPTransportSettings(),
        reloadClientSecret: (@Sendable () throws -> String)? = nil
    ) {
        self.http = http
        self.baseURL = baseURL
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.requestTimeout = requestTimeout
        self.tokenRefreshMargin = tokenRefreshMargin
        self.logger = logger
        self.callObserver = callObserver
        self.clock = clock
        self.reloadClientSecret = reloadClientSecret
    }

    /// What makes the configuration unusable, one message per problem naming the field; empty when valid.
    public func problems() -> [String] {
        var problems: [String] = []
        let scheme = baseURL.scheme?.lowercased()
        if scheme != "https" && scheme != "http" {
            problems.append("baseURL: '\(baseURL.absoluteString)' is not an http(s) URL")
        }
        if baseURL.host == nil || baseURL.host?.isEmpty == true {
            problems.append("baseURL: '\(baseURL.absoluteString)' has no host")
        }
        if clientId.trimmingWhitespace().isEmpty { problems.append("clientId: empty") }
        if clientSecret.isEmpty { problems.append("clientSecret: empty") }
        if requestTimeout <= .zero { problems.append("requestTimeout: must be positive") }
        if tokenRefreshMargin < .zero { problems.append("tokenRefreshMargin: must not be negative") }
        problems += transportSettings.problems().map { "http.\($0)" }
        return problems
    }
}

extension MarketoClientConfiguration {
    /// The transport settings with this configuration's request timeout.
    public var transportSettings: HTTPTransportSettings {
        var settings = http
        settings.requestTimeout = requestTimeout
        return settings
    }
}
