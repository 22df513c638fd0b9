import Foundation

// MARK: - SalesforceAPIRequest

/// One API request, relative to the instance URL so that it can be replayed against a refreshed token's
/// instance.
struct SalesforceAPIRequest: Sendable {
    /// The call's name.
    var endpoint: SalesforceEndpoint
    /// The HTTP method.
    var method: String
    /// The path and query on the instance, starting with `/`, already percent-encoded.
    var path: String
    /// The body, if any.
    var body: Data? = nil
    /// The body's media type.
    var contentType: String? = nil
    /// Other headers, e.g. `Sforce-Query-Options`.
    var extraHeaders: [String: String] = [:]
    /// The media type asked for.
    var accept: String = "application/json"
    /// Records the call carries (for the call observer).
    var recordCount: Int = 0
    /// Statuses that are a success for this call (anything else is turned into a ``SalesforceError``).
    var acceptedStatuses: ClosedRange<Int> = 200...299
}
