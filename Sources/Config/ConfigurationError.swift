// MARK: - ConfigurationError

/// The configuration cannot be used: every problem found, not just the first.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in document order (file problems first, then environment overrides).
    public var issues: [ConfigurationIssue]

    /// Creates an error from its issues.
    public init(issues: [ConfigurationIssue]) {
        self.issues = issues
    }

    /// A header line and one line per issue.
    public var description: String {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return "invalid LeadSync configuration (\(count)):\n"
            + issues.map { "  - \($0.description)" }.joined(separator: "\n")
    }
}
