import Foundation
internal import _CryptoExtras

// MARK: - JWTBearerAssertion

/// Builds the RS256-signed assertion of the OAuth JWT bearer flow; the key and the signature come from
/// swift-crypto (BoringSSL's RSASSA-PKCS1-v1_5 with SHA-256).
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
    /// - Parameters:
    ///   - clientId: The connected app's consumer key (`iss`).
    ///   - username: The Salesforce user the token acts as (`sub`).
    ///   - audience: The login server (`aud`): `https://login.salesforce.com` or `https://test.salesforce.com`.
    ///   - privateKeyPEM: `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1) or `-----BEGIN PRIVATE KEY-----` (PKCS#8),
    ///     unencrypted, at least 2048 bits.
    ///   - now: The time the expiry counts from.
    /// - Throws: ``SalesforceError`` (authenticationFailed) when the key cannot be read or cannot sign.
    static func make(
        clientId: String,
        username: String,
        audience: String,
        privateKeyPEM: String,
        now: Date
    ) throws(SalesforceError) -> String {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw keyFailure(
                "cannot read the JWT bearer private key (an unencrypted PEM RSA key of at least 2048 "
                    + "bits is expected): \(error)"
            )
        }
        let claims = Claims(iss: clientId, sub: username, aud: audience, exp: Int(now.timeIntervalSince1970 + lifetime))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let claimsJSON = (try? encoder.encode(claims)) ?? Data()
        let signingInput = base64URL(Data(#"{"alg":"RS256"}"#.utf8)) + "." + base64URL(claimsJSON)
        let signature: _RSA.Signing.RSASignature
        do {
            // RS256 is RSASSA-PKCS1-v1_5 with SHA-256; swift-crypto names that padding "insecure" only to steer
            // new protocols towards PSS.
            signature = try key.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        } catch {
            throw keyFailure("cannot sign the JWT bearer assertion: \(error)")
        }
        return signingInput + "." + base64URL(signature.rawRepresentation)
    }

    private static func keyFailure(_ message: String) -> SalesforceError {
        SalesforceError(
            endpoint: .token,
            httpStatus: nil,
            errorCode: SalesforceError.Code.invalidRequest,
            message: message,
            classification: .authenticationFailed
        )
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
