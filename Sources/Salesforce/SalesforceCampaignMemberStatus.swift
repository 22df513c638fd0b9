// MARK: - SalesforceCampaignMemberStatus

/// One CampaignMemberStatus of a campaign: the labels a CampaignMember `Status` may take.
public struct SalesforceCampaignMemberStatus: Sendable, Hashable {
    /// The label (what `Status` holds).
    public var label: String
    /// Whether members without a status get this one.
    public var isDefault: Bool
    /// Whether members with this status count as responded.
    public var hasResponded: Bool

    /// Creates a member status.
    public init(label: String, isDefault: Bool, hasResponded: Bool) {
        self.label = label
        self.isDefault = isDefault
        self.hasResponded = hasResponded
    }
}
