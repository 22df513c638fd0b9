internal import Config

// MARK: - PreflightFix

/// Fix texts shared by several checks.
enum PreflightFix {
    /// How to make a secret reference resolvable.
    static func secret(_ reference: SecretReference) -> String {
        switch reference {
        case .environment(let name): "set the environment variable \(name) to the secret (it is unset or empty)"
        case .file(let path): "mount the secret at \(path) (the file is missing, unreadable or empty)"
        }
    }
}
