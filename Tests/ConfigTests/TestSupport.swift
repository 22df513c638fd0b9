import Config
import Foundation

/// Paths and helpers shared by the Config tests.
enum TestSupport {
    /// The repository's root, found from this file's path (`Tests/ConfigTests/TestSupport.swift`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file of the repository.
    static func repositoryFile(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent(relativePath).path
    }

    /// A file reader that knows no file: tests that resolve no `file` secret.
    @Sendable
    static func noFiles(_ path: String) throws -> String {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }

    /// Parses a document with the given environment; the error is returned instead of thrown.
    static func parse(
        _ text: String,
        environment: [String: String] = [:],
        fileName: String = "config.yaml"
    ) -> Result<LeadSyncConfig, ConfigurationError> {
        do {
            return .success(
                try LeadSyncConfig.parse(
                    text,
                    fileName: fileName,
                    source: SecretSource(environment: environment, readFile: noFiles)
                )
            )
        } catch {
            return .failure(error)
        }
    }

    /// A minimal valid document: one Marketo tenant, with `extra` lines appended to the tenant entry and `top`
    /// lines before `tenants`.
    static func minimal(tenantLines extra: String = "", top: String = "") -> String {
        """
        \(top)
        tenants:
          - tenant: acme
            destinations: [marketo]
            events:
              summit-2026: { marketoProgramId: 1001 }
            marketo:
              munchkinId: 123-ABC-456
              clientId: client
              clientSecret: { env: ACME_SECRET }
        \(extra)
        """
    }
}
