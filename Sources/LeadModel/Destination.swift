// MARK: - Destination

/// A CRM that commands are delivered to.
public enum Destination: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Marketo (program member status, custom object, custom activity).
    case marketo
    /// Salesforce (campaign member status, custom object).
    case salesforce

    /// Marketo before Salesforce: the fixed order in which commands are emitted.
    public static func < (lhs: Destination, rhs: Destination) -> Bool {
        lhs == .marketo && rhs == .salesforce
    }

    /// The raw value.
    public var description: String { rawValue }
}
