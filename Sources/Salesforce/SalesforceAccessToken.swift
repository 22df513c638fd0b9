import Foundation

// MARK: - SalesforceAccessToken

/// A cached access token and the instance it is valid for. Salesforce sends no `expires_in`: a token is used
/// until a call answers 401 `INVALID_SESSION_ID`.
struct SalesforceAccessToken: Sendable, Hashable {
    /// The bearer token.
    var value: String
    /// `instance_url` of the token response, without a trailing slash; API calls go there.
    var instanceURL: String
    /// Sequence number of the token within this client (for logs and replay decisions).
    var generation: Int
}
