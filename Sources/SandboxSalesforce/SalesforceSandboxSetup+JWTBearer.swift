// MARK: - SalesforceSandboxSetup.JWTBearer

extension SalesforceSandboxSetup {
    /// The JWT bearer flow of an org's connected app. The sandbox checks the header (`alg` RS256), the claims
    /// (`iss` = the client id, `sub` an approved user, `aud`, `exp`) and, when the app has a certificate, the
    /// RS256 signature.
    public struct JWTBearer: Codable, Sendable, Equatable {
        /// Usernames that have approved the connected app (`sub`).
        public var approvedUsernames: [String]
        /// Accepted `aud` values.
        public var audiences: [String]
        /// The certificate uploaded to the connected app (`-----BEGIN CERTIFICATE-----`) or its public key
        /// (`-----BEGIN PUBLIC KEY-----`); nil checks the claims only.
        public var certificatePEM: String?

        /// Creates a JWT bearer setup.
        public init(
            approvedUsernames: [String],
            audiences: [String] = ["https://login.salesforce.com", "https://test.salesforce.com"],
            certificatePEM: String? = nil
        ) {
            self.approvedUsernames = approvedUsernames
            self.audiences = audiences
            self.certificatePEM = certificatePEM
        }

        private enum CodingKeys: String, CodingKey { case approvedUsernames, audiences, certificatePEM }

        /// Decodes a JWT bearer setup; `audiences` may be absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                approvedUsernames: try c.decode([String].self, forKey: .approvedUsernames),
                audiences: try c.decodeIfPresent([String].self, forKey: .audiences)
                    ?? ["https://login.salesforce.com", "https://test.salesforce.com"],
                certificatePEM: try c.decodeIfPresent(String.self, forKey: .certificatePEM)
            )
        }
    }
}
