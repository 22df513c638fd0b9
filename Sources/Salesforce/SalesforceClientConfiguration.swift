public import Foundation
public import HTTPTransport
public import Logging

// MARK: - SalesforceClientConfiguration

/// Everything a ``SalesforceClient`` needs: where to get tokens, which API version to call, the connected app's
/// credentials, timeouts and the logger.
public struct SalesforceClientConfiguration: Sendable {
    /// The OAuth host: the org's My Domain (`https://acme.my.salesforce.com`; client credentials only work
    /// there), `https://login.salesforce.com` or `https://test.salesforce.com`. The token endpoint is
    /// `{loginURL}/services/oauth2/token`; API calls go to the `instance_url` the token response names.
    public var loginURL: URL
    /// The API version in paths, e.g. `v62.0` (a bare `62.0` is accepted and prefixed).
    public var apiVersion: String
    /// The connected app's credentials.
    public var credentials: SalesforceCredentials
    /// How long one HTTP request may take before it fails with a timeout (classified retry).
    public var requestTimeout: Duration
    /// Dead-connection detection of the HTTP transport: connect timeout, low-speed window, keepalive (its
    /// `requestTimeout` is replaced by ``requestTimeout``).
    public var http: HTTPTransportSettings
    /// The longest request URI the client sends. Salesforce answers 414 above 16,384 bytes and 431 when the URI
    /// plus headers exceed that; lead lookups split their `IN` lists to stay under this. Default 8,000.
    public var maxURILength: Int
    /// The logger; secrets and emails are never logged.
    public var logger: Logger
    /// Reads the credentials again from where their secret is kept (an environment variable, a mounted file),
    /// after the token endpoint refused them or a refreshed token was refused again with `INVALID_SESSION_ID`:
    /// when they changed (a rotated secret or key), a token is requested with them and the call is made once
    /// more. Nil never re-reads.
    public var reloadCredentials: (@Sendable () throws -> SalesforceCredentials)?

    /// Creates a configuration.
    /// - Parameters:
    ///   - loginURL: The OAuth host (My Domain for client credentials).
    ///   - apiVersion: The API version, e.g. `v62.0`.
    ///   - credentials: The connected app's credentials.
    ///   - requestTimeout: The timeout of one HTTP request.
    ///   - maxURILength: The longest request URI sent.
    ///   - logger: The logger.
    ///   - http: Dead-connection detection of the HTTP transport.
    ///   - reloadCredentials: Re-reads the credentials after they were refused (see ``reloadCredentials``).
    public init(
        loginURL: URL,
        apiVersion: String = "v62.0",
        credentials: SalesforceCredentials,
        requestTimeout: Duration = .seconds(30),
        maxURILength: Int = 8_000,
        logger: Logger = Logger(label: "leadsync.salesforce"),
        http: HTTPTransportSettings = HTTPTransportSettings(),
        reloadCredentials: (@Sendable () throws -> SalesforceCredentials)? = nil
    ) {
        self.http = http
        self.loginURL = loginURL
        self.apiVersion = apiVersion
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.maxURILength = maxURILength
        self.logger = logger
        self.reloadCredentials = reloadCredentials
    }

    /// The version as it appears in paths, always with the `v` prefix.
    var versionPathComponent: String {
        apiVersion.hasPrefix("v") ? apiVersion : "v" + apiVersion
    }

    /// `/services/data/vXX.X`.
    var dataPath: String { "/services/data/\(versionPathComponent)" }

    /// The transport settings with this configuration's request timeout.
    public var transportSettings: HTTPTransportSettings {
        var settings = http
        settings.requestTimeout = requestTimeout
        return settings
    }
}

extension SalesforceClientConfiguration: CustomStringConvertible {
    /// The settings with the credentials redacted.
    public var description: String {
        "SalesforceClientConfiguration(loginURL: \(loginURL.absoluteString), apiVersion: \(apiVersion), "
            + "credentials: \(credentials), requestTimeout: \(requestTimeout), maxURILength: \(maxURILength))"
    }
}
