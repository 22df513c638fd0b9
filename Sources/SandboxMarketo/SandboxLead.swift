public import Foundation

/// A lead as the sandbox stores it.
public struct SandboxLead: Sendable, Codable, Equatable {
    /// The lead id.
    public var id: Int
    /// Field values by REST name (without `id`, `createdAt`, `updatedAt`).
    public var fields: [String: SandboxValue]
    /// When the lead was created.
    public var createdAt: Date
    /// When the lead was last changed.
    public var updatedAt: Date

    /// The email field, if set.
    public var email: String? { fields["email"]?.stringValue }
}
