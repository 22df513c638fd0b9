/// Where topics live: a real cluster through the admin API, or the development cluster's control endpoint.
public protocol TopicCatalog: Sendable {
    /// The topics among `names` that exist, with their partition counts and (when known) configs.
    func existingTopics(named names: [String]) async throws -> [ExistingTopic]
    /// Creates the topics.
    func create(_ definitions: [TopicDefinition]) async throws
}

/// Failures of a catalog, with the cluster and what to do.
public struct TopicCatalogError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
