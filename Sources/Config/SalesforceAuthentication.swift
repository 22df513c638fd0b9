// MARK: - SalesforceAuthentication

/// How LeadSync authenticates to a Salesforce org's connected app.
public enum SalesforceAuthentication: Sendable, Hashable {
    /// OAuth 2.0 client credentials flow: the connected app's consumer secret, by reference.
    case clientCredentials(clientSecret: Secret)
    /// OAuth 2.0 JWT bearer flow: the integration user and the private key (PEM) whose certificate the connected
    /// app holds, by reference.
    case jwtBearer(username: String, privateKey: Secret)
}
