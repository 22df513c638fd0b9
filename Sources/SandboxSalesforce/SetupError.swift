// MARK: - SetupError

/// A sandbox setup that cannot be served: a malformed id, a converted lead pointing nowhere, a campaign
/// without a default status, a duplicate org or client id.
public struct SetupError: Error, Sendable, CustomStringConvertible {
    /// The org the problem is in.
    public var orgId: String
    /// What is wrong, naming the record or member to fix.
    public var reason: String

    /// A description naming the org.
    public var description: String { "Salesforce sandbox setup, org \(orgId): \(reason)" }
}
