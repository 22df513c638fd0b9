// MARK: - SalesforceCampaignStatusLabels

/// A campaign's CampaignMemberStatus labels as read from the org, and when.
struct SalesforceCampaignStatusLabels: Sendable {
    /// Lowercased label -> the label as the org spells it (Salesforce compares labels without case).
    var labels: [String: String]
    /// When they were read.
    var readAt: ContinuousClock.Instant

    /// The org's spelling of `status`, or nil when the campaign has no such label.
    func label(for status: String) -> String? {
        labels[status.lowercased()]
    }
}
