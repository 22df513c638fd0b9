public import Foundation

/// A custom activity as added.
public struct SandboxActivity: Sendable, Codable, Equatable {
    /// The activity id.
    public var id: Int
    /// The unique id returned as `marketoGUID`.
    public var marketoGUID: String
    /// The lead id.
    public var leadId: Int
    /// The activity type id.
    public var activityTypeId: Int
    /// The activity type's API name.
    public var activityTypeApiName: String
    /// The activity date as sent.
    public var activityDate: String
    /// The primary attribute value.
    public var primaryAttributeValue: String
    /// Secondary attributes by API name.
    public var attributes: [String: SandboxValue]
    /// When the sandbox stored it.
    public var createdAt: Date
}
