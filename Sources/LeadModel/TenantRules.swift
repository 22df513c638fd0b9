// MARK: - TenantRules

/// One tenant's configuration as the fold applies it (loading files and secrets is done elsewhere).
public struct TenantRules: Sendable, Hashable {
    /// The tenant id.
    public var tenant: String
    /// virtualEventId -> CRM targets.
    public var eventMappings: [String: EventMapping]
    /// The CRMs this tenant delivers to.
    public var destinations: Set<Destination>
    /// Granular -> channel status overrides on top of the defaults.
    public var statusMapping: StatusMapping
    /// Backward transitions that are applied (when newer) instead of being stale.
    public var allowedBackwardTransitions: Set<StatusTransition>
    /// When engagement derives `Participated`.
    public var participatedRule: ParticipatedRule
    /// How long an entry's engagement must be quiet before its Marketo custom activity is sent, in milliseconds.
    public var settleWindowMilliseconds: Int64

    /// The default settle window: 15 minutes.
    public static let defaultSettleWindowMilliseconds: Int64 = 15 * 60 * 1000

    /// Creates rules with docs/architecture.md's defaults for everything not given.
    public init(
        tenant: String,
        eventMappings: [String: EventMapping] = [:],
        destinations: Set<Destination> = [.marketo, .salesforce],
        statusMapping: StatusMapping = .default,
        allowedBackwardTransitions: Set<StatusTransition> = StatusTransition.reRegistration,
        participatedRule: ParticipatedRule = ParticipatedRule(),
        settleWindowMilliseconds: Int64 = TenantRules.defaultSettleWindowMilliseconds
    ) {
        self.tenant = tenant
        self.eventMappings = eventMappings
        self.destinations = destinations
        self.statusMapping = statusMapping
        self.allowedBackwardTransitions = allowedBackwardTransitions
        self.participatedRule = participatedRule
        self.settleWindowMilliseconds = settleWindowMilliseconds
    }

    /// The enabled destinations that have a mapping for the event, Marketo first.
    public func targets(for virtualEventId: String) -> [CommandTarget] {
        var targets: [CommandTarget] = []
        forEachTarget(for: virtualEventId) { targets.append($0) }
        return targets
    }

    /// Calls `body` for each enabled, mapped destination of the event, Marketo first (no array on the hot path).
    @inline(__always)
    func forEachTarget(for virtualEventId: String, _ body: (CommandTarget) -> Void) {
        guard let mapping = eventMappings[virtualEventId] else { return }
        if let programId = mapping.marketoProgramId, destinations.contains(.marketo) {
            body(.marketo(programId: programId))
        }
        if let campaignId = mapping.salesforceCampaignId, destinations.contains(.salesforce) {
            body(.salesforce(campaignId: campaignId))
        }
    }

    /// Whether the event reaches at least one enabled destination.
    public func isMapped(_ virtualEventId: String) -> Bool {
        guard let mapping = eventMappings[virtualEventId] else { return false }
        return destinations.contains { mapping.isMapped(to: $0) }
    }
}
