internal import Foundation

// MARK: - SecretSource

/// What secrets are resolved against: an environment and a way to read files.
///
/// Injected so that tests need no real environment; the CLI passes `ProcessInfo.processInfo.environment` and the
/// default file reader.
public struct SecretSource: Sendable {
    /// The environment variables.
    public var environment: [String: String]
    /// Reads a whole file as UTF-8 text.
    public var readFile: @Sendable (_ path: String) throws -> String

    /// Creates a source.
    /// - Parameters:
    ///   - environment: The environment variables.
    ///   - readFile: Reads a file; by default from the file system.
    public init(
        environment: [String: String],
        readFile: @escaping @Sendable (_ path: String) throws -> String = SecretSource.readFileFromDisk
    ) {
        self.environment = environment
        self.readFile = readFile
    }

    /// Reads a UTF-8 file from the file system.
    /// - Throws: The file system's error when the file cannot be read or is not UTF-8.
    @Sendable
    public static func readFileFromDisk(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
