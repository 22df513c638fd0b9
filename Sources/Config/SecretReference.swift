// MARK: - SecretReference

/// Where a secret comes from: never the file itself.
///
/// In the file: `{ env: ACME_MARKETO_CLIENT_SECRET }` or `{ file: /var/run/secrets/leadsync/acme-marketo }` (a
/// Kubernetes Secret mounted as files). A reference names the secret's place, not its value, so it may be shown.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// An environment variable.
    case environment(String)
    /// A file whose content (without its trailing line break) is the secret.
    case file(String)

    /// `env ACME_MARKETO_CLIENT_SECRET` or `file /path`.
    public var description: String {
        switch self {
        case .environment(let name): "env \(name)"
        case .file(let path): "file \(path)"
        }
    }
}
