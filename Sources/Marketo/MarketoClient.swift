import Foundation
public import HTTPTransport
import Logging
import Synchronization

/// The Marketo REST and Bulk API client of the Marketo writer, for one subscription.
///
/// Every call returns Marketo's per-record results in input order and throws ``MarketoError`` when the call as a
/// whole failed; both carry a ``MarketoFailureClass`` that says whether to retry, wait, park or dead-letter.
/// The client fetches a client-credentials token on first use, shares it between concurrent calls, refreshes
/// it shortly before it expires, and on 601/602 refreshes once and repeats the call once. When the identity service
/// refuses the secret, or the refreshed token is refused again, it re-reads the secret
/// (``MarketoClientConfiguration/reloadClientSecret``) and, if it changed, tries once more. It does no batching,
/// rate limiting or retrying beyond that: the writer builds those on top, fed by
/// ``MarketoClientConfiguration/callObserver``.
///
/// ```swift
/// let client = try MarketoClient(configuration: MarketoClientConfiguration(
///     baseURL: URL(string: "https://123-ABC-456.mktorest.com")!, clientId: id, clientSecret: secret))
/// let synced = try await client.syncLeads([["email": "ada@example.com", "firstName": "Ada"]])
/// let leadId = synced.records[0].leadId
/// ```
public final class MarketoClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: MarketoClientConfiguration

    /// The HTTP transport (libcurl unless a test or benchmark gave another).
    let transport: any HTTPTransport
    let tokens: MarketoAccessTokenCache
    let logger: Logger
    /// The client secret in use: the configuration's, replaced when a re-read finds a new one.
    let clientSecret: Mutex<String>

    /// Creates a client over its own `HTTPTransport.CurlTransport`; no call is made until the first request.
    /// - Parameter configuration: The subscription's URL and credentials.
    /// - Throws: ``MarketoError`` with code ``MarketoError/Code/invalidConfiguration`` naming each problem.
    public convenience init(configuration: MarketoClientConfiguration) throws {
        let transport: CurlTransport
        do {
            transport = try CurlTransport(settings: configuration.transportSettings, label: "marketo")
        } catch {
            throw MarketoError(
                code: .invalidConfiguration,
                failureClass: .permanent,
                endpoint: .identity,
                message: "HTTP transport: \(error.message)"
            )
        }
        try self.init(configuration: configuration, transport: transport)
    }

    /// Creates a client over a given transport (`leadsync bench http` compares transports this way).
    /// - Throws: ``MarketoError`` with code ``MarketoError/Code/invalidConfiguration`` naming each problem.
    public init(configuration: MarketoClientConfiguration, transport: any HTTPTransport) throws {
        let problems = configuration.problems()
        guard problems.isEmpty else {
            throw MarketoError(
                code: .invalidConfiguration,
                failureClass: .permanent,
                endpoint: .identity,
                message: problems.joined(separator: "; ")
            )
        }
        self.configuration = configuration
        self.transport = transport
        self.clientSecret = Mutex(configuration.clientSecret)
        self.tokens = MarketoAccessTokenCache(refreshMargin: configuration.tokenRefreshMargin)
        var logger = configuration.logger
        logger[metadataKey: MarketoLoggingKeys.clientId] = "\(configuration.clientId)"
        self.logger = logger
    }
}
