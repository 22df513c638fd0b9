// MARK: - EventMapping

/// Where a tenant's virtual event lives in each CRM.
public struct EventMapping: Sendable, Hashable {
    /// The Marketo program id, if the event is mapped to Marketo.
    public var marketoProgramId: Int?
    /// The Salesforce campaign id, if the event is mapped to Salesforce.
    public var salesforceCampaignId: String?

    /// Creates a mapping.
    public init(marketoProgramId: Int? = nil, salesforceCampaignId: String? = nil) {
        self.marketoProgramId = marketoProgramId
        self.salesforceCampaignId = salesforceCampaignId
    }

    /// Whether the mapping has a target in `destination`.
    public func isMapped(to destination: Destination) -> Bool {
        switch destination {
        case .marketo: marketoProgramId != nil
        case .salesforce: salesforceCampaignId != nil
        }
    }
}
