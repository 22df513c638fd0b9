public import Foundation

/// A custom object record.
public struct SandboxCustomObjectRecord: Sendable, Codable, Equatable {
    /// The custom object type's API name.
    public var objectName: String
    /// The record's unique id.
    public var marketoGUID: String
    /// Field values by API name.
    public var fields: [String: SandboxValue]
    /// When it was created.
    public var createdAt: Date
    /// When it was last updated.
    public var updatedAt: Date
    /// How many times a sync updated it after creating it.
    public var updateCount: Int
}
