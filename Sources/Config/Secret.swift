// MARK: - Secret

/// A secret setting (client secret, SASL password, private key): a reference that is resolved only when the value
/// is needed.
///
/// Printing, debug-printing, dumping or reflecting a `Secret` (or anything that contains one) shows `<redacted>`
/// and never the value, and the value is not even stored here: ``reveal()`` reads it from the environment or the
/// file each time, so a rotated Kubernetes Secret is picked up on the next use.
public struct Secret: Sendable {
    /// Where the value comes from.
    public let reference: SecretReference
    /// The setting this secret is for (`tenants[0].marketo.clientSecret`), named in resolution errors.
    public let setting: String
    /// What the reference is resolved against.
    private let source: SecretSource

    /// Creates a secret.
    /// - Parameters:
    ///   - reference: Where the value comes from.
    ///   - setting: The setting's path, for error messages.
    ///   - source: The environment and file reader to resolve against.
    public init(reference: SecretReference, setting: String, source: SecretSource) {
        self.reference = reference
        self.setting = setting
        self.source = source
    }

    /// Reads the secret's value: the environment variable's value, or the file's content without its trailing
    /// line break (Kubernetes Secrets and `echo` add one).
    /// - Throws: ``SecretResolutionError`` when the variable is unset or empty, or the file is unreadable or empty.
    public func reveal() throws(SecretResolutionError) -> String {
        let value: String
        switch reference {
        case .environment(let name):
            guard let environmentValue = source.environment[name] else {
                throw failure("environment variable \(name) is not set")
            }
            value = environmentValue
        case .file(let path):
            do {
                value = try source.readFile(path)
            } catch {
                throw failure("cannot read the secret file \(path): \(error)")
            }
        }
        var trimmed = Substring(value)
        while let last = trimmed.last, last == "\n" || last == "\r\n" || last == "\r" { trimmed.removeLast() }
        guard !trimmed.isEmpty else {
            switch reference {
            case .environment(let name): throw failure("environment variable \(name) is empty")
            case .file(let path): throw failure("the secret file \(path) is empty")
            }
        }
        return String(trimmed)
    }

    private func failure(_ reason: String) -> SecretResolutionError {
        SecretResolutionError(setting: setting, reference: reference, reason: reason)
    }
}

// MARK: - Equality

extension Secret: Hashable {
    /// Two secrets are equal when they name the same place for the same setting (values are never compared).
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        lhs.reference == rhs.reference && lhs.setting == rhs.setting
    }

    /// Hashes the reference and the setting.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(reference)
        hasher.combine(setting)
    }
}

// MARK: - Redaction

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The text shown instead of a secret.
    public static let redacted = "<redacted>"

    /// `<redacted>`.
    public var description: String { Secret.redacted }

    /// `<redacted>`.
    public var debugDescription: String { Secret.redacted }

    /// A mirror with no children, so that `dump` and reflection show nothing but `<redacted>`.
    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: nil)
    }
}
