public import Config
public import Foundation
public import Salesforce

// MARK: - SalesforceTenantSettings + Credentials

extension SalesforceTenantSettings {
    /// The client's credentials with the secret (or private key) read now from its reference, so a rotated
    /// secret is picked up.
    /// - Throws: ``SecretResolutionError`` when the variable is unset or empty or the file cannot be read.
    public func credentials() throws(SecretResolutionError) -> SalesforceCredentials {
        switch authentication {
        case .clientCredentials(let clientSecret):
            return .clientCredentials(clientId: clientId, clientSecret: try clientSecret.reveal())
        case .jwtBearer(let username, let privateKey):
            return .jwtBearer(
                clientId: clientId,
                username: username,
                audience: Self.jwtAudience(loginURL: loginURL),
                privateKeyPEM: try privateKey.reveal()
            )
        }
    }

    /// The JWT `aud`: `https://test.salesforce.com` for sandbox orgs, `https://login.salesforce.com` otherwise.
    public static func jwtAudience(loginURL: URL) -> String {
        let host = loginURL.host?.lowercased() ?? ""
        if host == "test.salesforce.com" || host.hasSuffix(".sandbox.my.salesforce.com") {
            return "https://test.salesforce.com"
        }
        return "https://login.salesforce.com"
    }
}
