import Basics
public import LeadModel

// MARK: - TenantSettings

/// One tenant: where its events go, how its statuses map, and its CRM credentials.
public struct TenantSettings: Sendable, Hashable {
    /// The tenant id (the first part of the lead key).
    public var tenant: String
    /// The CRMs this tenant delivers to.
    public var destinations: Set<Destination>
    /// virtualEventId -> Marketo program / Salesforce campaign.
    public var events: [String: EventMapping]
    /// Granular status -> channel status, replacing docs/architecture.md's default for those statuses.
    public var statusOverrides: [GranularStatus: ChannelStatus]
    /// Backward transitions applied (when newer) instead of dropped as stale (default: re-registration).
    public var allowedBackwardTransitions: Set<StatusTransition>
    /// When engagement makes a lead `Participated`.
    public var participated: ParticipatedRule
    /// How long an engagement entry must be quiet before its Marketo custom activity is sent (default 15m).
    public var settleWindow: Duration
    /// The Marketo subscription (required when Marketo is a destination).
    public var marketo: MarketoTenantSettings?
    /// The Salesforce org (required when Salesforce is a destination).
    public var salesforce: SalesforceTenantSettings?

    /// The default settle window: 15 minutes.
    public static let defaultSettleWindow: Duration = .seconds(15 * 60)

    /// Creates a tenant's settings.
    public init(
        tenant: String,
        destinations: Set<Destination>,
        events: [String: EventMapping],
        statusOverrides: [GranularStatus: ChannelStatus] = [:],
        allowedBackwardTransitions: Set<StatusTransition> = StatusTransition.reRegistration,
        participated: ParticipatedRule = ParticipatedRule(),
        settleWindow: Duration = TenantSettings.defaultSettleWindow,
        marketo: MarketoTenantSettings? = nil,
        salesforce: SalesforceTenantSettings? = nil
    ) {
        self.tenant = tenant
        self.destinations = destinations
        self.events = events
        self.statusOverrides = statusOverrides
        self.allowedBackwardTransitions = allowedBackwardTransitions
        self.participated = participated
        self.settleWindow = settleWindow
        self.marketo = marketo
        self.salesforce = salesforce
    }

    /// The tenant's rules as the fold applies them.
    public var rules: TenantRules {
        TenantRules(
            tenant: tenant,
            eventMappings: events,
            destinations: destinations,
            statusMapping: StatusMapping(overrides: statusOverrides),
            allowedBackwardTransitions: allowedBackwardTransitions,
            participatedRule: participated,
            settleWindowMilliseconds: Int64(settleWindow.milliseconds)
        )
    }

    /// Every secret of this tenant.
    var secrets: [Secret] {
        var secrets: [Secret] = []
        if let marketo { secrets.append(marketo.clientSecret) }
        switch salesforce?.authentication {
        case .clientCredentials(let clientSecret): secrets.append(clientSecret)
        case .jwtBearer(_, let privateKey): secrets.append(privateKey)
        case nil: break
        }
        return secrets
    }
}
