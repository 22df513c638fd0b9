// MARK: - SalesforceSinkConfigurationError

/// The Salesforce sink cannot start: which tenant (or setting) is wrong and what to change.
public struct SalesforceSinkConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tenant concerned, or nil for a writer-wide setting.
    public var tenant: String?
    /// What is wrong and what to do about it.
    public var problem: String

    /// Creates an error.
    public init(tenant: String?, problem: String) {
        self.tenant = tenant
        self.problem = problem
    }

    /// `tenant acme: <problem>` or the problem alone.
    public var description: String {
        if let tenant { return "Salesforce writer, tenant \(tenant): \(problem)" }
        return "Salesforce writer: \(problem)"
    }
}
