import Foundation

// MARK: - JWTBearerAssertion

/// Builds the RS256-signed assertion of the OAuth JWT bearer flow.
enum JWTBearerAssertion {
    /// How long an assertion is valid (simple-salesforce uses three minutes).
    static let lifetime: TimeInterval = 180

    private struct Claims: Encodable {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
    }

    /// Makes an assertion: header `{"alg":"RS256"}`, claims `iss`, `sub`, `aud`, `exp` (now + 3 minutes).
    /// - Throws: ``SalesforceError`` (authenticationFailed) when the key cannot be read.
    static func make(
        clientId: String,
        username: String,
        audience: String,
        privateKeyPEM: String,
        now: Date
    ) throws(SalesforceError) -> String {
        let key: RSAPrivateKey
        do {
            key = try RSAPrivateKey(pem: privateKeyPEM)
        } catch {
            throw SalesforceError(
                endpoint: .token,
                httpStatus: nil,
                errorCode: SalesforceError.Code.invalidRequest,
                message: "cannot read the JWT bearer private key: \(error.description)",
                classification: .authenticationFailed
            )
        }
        let claims = Claims(iss: clientId, sub: username, aud: audience, exp: Int(now.timeIntervalSince1970 + lifetime))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let claimsJSON = (try? encoder.encode(claims)) ?? Data()
        let signingInput = base64URL(Data(#"{"alg":"RS256"}"#.utf8)) + "." + base64URL(claimsJSON)
        let signature = key.signRS256(Array(signingInput.utf8))
        return signingInput + "." + base64URL(Data(signature))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
