// MARK: - SandboxStoppedError

/// The sandbox server stopped before it was listening, so it has no base URL to give.
public struct SandboxStoppedError: Error, Sendable, CustomStringConvertible {
    /// Why it stopped.
    public var reason: String

    /// A description naming the reason.
    public var description: String { "Salesforce sandbox stopped: \(reason)" }
}
