// MARK: - SalesforceCredentials

/// How the client obtains access tokens from the connected app. Secrets are plain strings here (the caller
/// resolves them from wherever they are kept); they never appear in descriptions, dumps or logs.
public enum SalesforceCredentials: Sendable, Hashable {
    /// OAuth 2.0 client credentials (`grant_type=client_credentials`). The token URL must be the org's My
    /// Domain host, and the connected app needs a "Run As" user.
    case clientCredentials(clientId: String, clientSecret: String)
    /// OAuth 2.0 JWT bearer (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`): an RS256 assertion
    /// signed with the connected app certificate's private key.
    /// - clientId: The consumer key (`iss`).
    /// - username: The user the token acts as (`sub`).
    /// - audience: `https://login.salesforce.com`, `https://test.salesforce.com` or the community URL (`aud`).
    /// - privateKeyPEM: The RSA private key, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`).
    case jwtBearer(clientId: String, username: String, audience: String, privateKeyPEM: String)

    /// The consumer key.
    public var clientId: String {
        switch self {
        case .clientCredentials(let clientId, _): clientId
        case .jwtBearer(let clientId, _, _, _): clientId
        }
    }
}

extension SalesforceCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The flow and the client id, with the secret or key redacted.
    public var description: String {
        switch self {
        case .clientCredentials(let clientId, _):
            "clientCredentials(clientId: \(clientId), clientSecret: <redacted>)"
        case .jwtBearer(let clientId, let username, let audience, _):
            "jwtBearer(clientId: \(clientId), username: \(username), audience: \(audience), privateKey: <redacted>)"
        }
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump` and string interpolation of containers stay redacted.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .enum)
    }
}
