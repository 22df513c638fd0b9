/// Why a sandbox could not be created or reached.
public struct MarketoSandboxError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Code: String, Sendable, Equatable {
        /// The setup is inconsistent (see ``MarketoSandboxSetup/problems()``).
        case invalidSetup
        /// The server stopped (or failed to start) before it was bound to a port.
        case notRunning
    }

    /// The kind of failure.
    public var code: Code
    /// What a person needs to fix it.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `invalidSetup: subscription 1: …`
    public var description: String { "\(code.rawValue): \(message)" }
}
