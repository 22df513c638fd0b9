import Foundation

// MARK: - RSAPublicKey

/// An RSA public key read from the PEM a connected app is set up with (an X.509 certificate or a
/// SubjectPublicKeyInfo), able to check RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures.
struct RSAPublicKey {
    let modulus: BigUnsigned
    let exponent: BigUnsigned
    let modulusLength: Int

    /// DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1).
    private static let sha256DigestInfo: [UInt8] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
        0x20,
    ]

    /// Reads `-----BEGIN CERTIFICATE-----` or `-----BEGIN PUBLIC KEY-----` PEM text; nil when it is neither
    /// or holds no RSA key.
    init?(pem: String) {
        let body = pem.split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("-----") }
            .joined()
        guard let der = Data(base64Encoded: body).map([UInt8].init) else { return nil }
        let isCertificate = pem.contains("BEGIN CERTIFICATE")
        guard let spki = isCertificate ? Self.subjectPublicKeyInfo(inCertificate: der) : der,
            let (modulus, exponent) = Self.rsaKey(inSubjectPublicKeyInfo: spki)
        else { return nil }
        let trimmed = Array(modulus.drop { $0 == 0 })
        self.modulus = BigUnsigned(bytes: trimmed)
        self.exponent = BigUnsigned(bytes: exponent)
        self.modulusLength = trimmed.count
    }

    /// Whether `signature` is an RS256 signature of `message` by this key.
    func verifiesRS256(message: [UInt8], signature: [UInt8]) -> Bool {
        guard signature.count == modulusLength, modulusLength >= 62 else { return false }
        let value = BigUnsigned(bytes: signature)
        guard value < modulus else { return false }
        let encoded = value.power(exponent, modulo: modulus).bytes(length: modulusLength)
        let digest = Self.sha256DigestInfo + SHA256Digest.hash(message)
        let padding = modulusLength - 3 - digest.count
        let expected = [0x00, 0x01] + [UInt8](repeating: 0xFF, count: padding) + [0x00] + digest
        return encoded == expected
    }

    // MARK: - DER

    /// The SubjectPublicKeyInfo of a certificate: the 6th field (7th with the explicit version) of
    /// TBSCertificate.
    private static func subjectPublicKeyInfo(inCertificate der: [UInt8]) -> [UInt8]? {
        guard let certificate = DERElement.parse(der, at: 0), certificate.tag == 0x30,
            let tbs = certificate.children(in: der).first, tbs.tag == 0x30
        else { return nil }
        var fields = tbs.children(in: der)
        if fields.first?.tag == 0xA0 { fields.removeFirst() }
        guard fields.count > 5, fields[5].tag == 0x30 else { return nil }
        return Array(der[fields[5].start..<fields[5].end])
    }

    private static func rsaKey(inSubjectPublicKeyInfo der: [UInt8]) -> ([UInt8], [UInt8])? {
        guard let spki = DERElement.parse(der, at: 0), spki.tag == 0x30 else { return nil }
        let parts = spki.children(in: der)
        guard parts.count == 2, parts[1].tag == 0x03 else { return nil }
        // A BIT STRING: one byte of unused bits, then the RSAPublicKey SEQUENCE.
        let keyBytes = Array(der[(parts[1].contentStart + 1)..<parts[1].end])
        guard let key = DERElement.parse(keyBytes, at: 0), key.tag == 0x30 else { return nil }
        let numbers = key.children(in: keyBytes)
        guard numbers.count == 2, numbers.allSatisfy({ $0.tag == 0x02 }) else { return nil }
        return (
            Array(keyBytes[numbers[0].contentStart..<numbers[0].end]),
            Array(keyBytes[numbers[1].contentStart..<numbers[1].end])
        )
    }
}
