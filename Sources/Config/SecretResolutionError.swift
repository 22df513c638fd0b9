// MARK: - SecretResolutionError

/// A secret could not be resolved. Says which setting, which reference and why; never a value.
public struct SecretResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting the secret belongs to (`tenants[0].marketo.clientSecret`).
    public var setting: String
    /// Where the secret was looked for.
    public var reference: SecretReference
    /// Why it could not be read (`environment variable ACME_SECRET is not set`).
    public var reason: String

    /// Creates an error.
    public init(setting: String, reference: SecretReference, reason: String) {
        self.setting = setting
        self.reference = reference
        self.reason = reason
    }

    /// `setting: reason`.
    public var description: String { "\(setting): \(reason)" }
}
