/// `leadsync topics apply`: creates the missing topics and reports drift, never altering an existing topic.
public struct TopicApplier: Sendable {
    /// What one run did.
    public struct Report: Sendable, Hashable {
        public var created: [String]
        public var unchanged: [String]
        public var drift: [TopicPlan.Drift]

        /// True when the cluster matches the definitions (after creating what was missing).
        public var isConsistent: Bool { drift.isEmpty }
    }

    private let catalog: any TopicCatalog

    public init(catalog: any TopicCatalog) {
        self.catalog = catalog
    }

    /// Applies the definitions.
    /// - Parameter dryRun: plan only, create nothing.
    public func apply(_ definitions: [TopicDefinition], dryRun: Bool = false) async throws -> Report {
        let existing = try await catalog.existingTopics(named: definitions.map(\.name))
        let plan = TopicPlan(definitions: definitions, existing: existing)
        if !dryRun, !plan.missing.isEmpty {
            try await catalog.create(plan.missing)
        }
        return Report(created: plan.missing.map(\.name), unchanged: plan.matching, drift: plan.drift)
    }
}
