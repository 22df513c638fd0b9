import Foundation

// MARK: - RSAPrivateKey

/// An RSA private key read from PEM, able to make RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures.
struct RSAPrivateKey: Sendable {
    let modulus: UnsignedBigInteger
    let privateExponent: UnsignedBigInteger
    let prime1: UnsignedBigInteger
    let prime2: UnsignedBigInteger
    let exponent1: UnsignedBigInteger
    let exponent2: UnsignedBigInteger
    let coefficient: UnsignedBigInteger

    /// Why a key could not be read.
    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1) or `-----BEGIN PRIVATE KEY-----` (PKCS#8, rsaEncryption).
    init(pem: String) throws(ReadError) {
        let body = pem.split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("-----") }
            .joined()
            .filter { !$0.isWhitespace }
        guard !pem.contains("ENCRYPTED"), let der = Data(base64Encoded: body) else {
            throw ReadError(description: "the private key is not an unencrypted PEM")
        }
        var outer = DERReader(Array(der))
        guard let sequence = outer.read(tag: 0x30) else {
            throw ReadError(description: "the private key is not a DER sequence")
        }
        var reader = DERReader(sequence)
        guard reader.readInteger() != nil else { throw ReadError(description: "the key has no version") }
        if reader.nextTag == 0x30 {
            // PKCS#8: AlgorithmIdentifier then the PKCS#1 key in an OCTET STRING.
            guard let algorithm = reader.read(tag: 0x30),
                algorithm.starts(with: [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
                let octets = reader.read(tag: 0x04)
            else { throw ReadError(description: "the PKCS#8 key is not an RSA key") }
            var inner = DERReader(octets)
            guard let pkcs1 = inner.read(tag: 0x30) else {
                throw ReadError(description: "the PKCS#8 key holds no RSAPrivateKey")
            }
            reader = DERReader(pkcs1)
            guard reader.readInteger() != nil else { throw ReadError(description: "the RSAPrivateKey has no version") }
        }
        guard let modulus = reader.readInteger(),
            reader.readInteger() != nil,  // public exponent
            let privateExponent = reader.readInteger(),
            let prime1 = reader.readInteger(),
            let prime2 = reader.readInteger(),
            let exponent1 = reader.readInteger(),
            let exponent2 = reader.readInteger(),
            let coefficient = reader.readInteger(),
            modulus.bitWidth >= 1024
        else { throw ReadError(description: "the RSAPrivateKey is incomplete or shorter than 1024 bits") }
        self.modulus = modulus
        self.privateExponent = privateExponent
        self.prime1 = prime1
        self.prime2 = prime2
        self.exponent1 = exponent1
        self.exponent2 = exponent2
        self.coefficient = coefficient
    }

    /// The RS256 signature of `message`: EMSA-PKCS1-v1_5 over SHA-256, then the private key operation (CRT).
    func signRS256(_ message: [UInt8]) -> [UInt8] {
        let length = (modulus.bitWidth + 7) / 8
        let digestInfo: [UInt8] =
            [
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
                0x04, 0x20,
            ]
            + SHA256Hash.digest(message)
        let padding = [UInt8](repeating: 0xff, count: length - digestInfo.count - 3)
        let encoded = UnsignedBigInteger(bigEndian: [0x00, 0x01] + padding + [0x00] + digestInfo)
        // CRT: s1 = m^dP mod p, s2 = m^dQ mod q, h = qInv (s1 - s2) mod p, s = s2 + h q.
        let s1 = encoded.power(exponent1, modulo: prime1)
        let s2 = encoded.power(exponent2, modulo: prime2)
        let s2ModP = s2.reduced(modulo: prime1)
        let difference = s2ModP < s1 || s2ModP == s1 ? s1 - s2ModP : s1 + prime1 - s2ModP
        let h = (coefficient * difference).reduced(modulo: prime1)
        let signature = s2 + h * prime2
        return signature.bigEndianBytes(count: length)
    }
}
