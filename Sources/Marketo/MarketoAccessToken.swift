import Foundation

/// A cached access token and when to stop using it.
struct MarketoAccessToken: Sendable {
    /// The bearer token.
    var value: String
    /// When the identity service said it expires (client clock).
    var expiresAt: Date
    /// When the client fetches another one: `expiresAt` minus the refresh margin, or `expiresAt` itself when the
    /// identity service handed back the same token (Marketo returns the current token, with its remaining
    /// lifetime, until it has expired: refreshing earlier cannot produce a new one).
    var refreshAfter: Date
}
