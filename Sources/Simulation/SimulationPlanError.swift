// MARK: - SimulationPlanError

/// A simulation plan that cannot be generated: the field at fault and what is expected instead.
public struct SimulationPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The plan field at fault, as a path (`rates.poison`, `tenants[1].virtualEventIds`).
    public var field: String
    /// What is wrong and what is expected.
    public var message: String

    /// Creates an error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
