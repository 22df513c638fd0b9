import Foundation
internal import X509
internal import _CryptoExtras

// MARK: - RS256Verifier

/// The RSA public key of a connected app's certificate, checking RS256 signatures of JWT bearer assertions.
/// Parsing and verification come from swift-certificates and swift-crypto.
struct RS256Verifier {
    private let key: _RSA.Signing.PublicKey

    /// Reads `-----BEGIN CERTIFICATE-----` (an X.509 certificate, as uploaded to a connected app) or
    /// `-----BEGIN PUBLIC KEY-----` PEM text; nil when it is neither or holds no RSA key of at least 2048 bits.
    init?(pem: String) {
        if pem.contains("BEGIN CERTIFICATE") {
            guard let certificate = try? Certificate(pemEncoded: pem),
                let key = _RSA.Signing.PublicKey(certificate.publicKey)
            else { return nil }
            self.key = key
        } else {
            guard let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem) else { return nil }
            self.key = key
        }
    }

    /// Whether `signature` is an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `message` by this key.
    func verifiesRS256(message: [UInt8], signature: [UInt8]) -> Bool {
        key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: message,
            padding: .insecurePKCS1v1_5
        )
    }
}
