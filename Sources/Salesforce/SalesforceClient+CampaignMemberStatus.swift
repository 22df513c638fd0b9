// MARK: - SalesforceClient + CampaignMemberStatus

extension SalesforceClient {
    /// The member statuses a campaign accepts: `SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus
    /// WHERE CampaignId = '…'`. A writer checks a status against these before sending it, because an unknown
    /// status is either rejected or silently replaced by the default, depending on the org.
    /// - Parameter campaignId: The campaign (`701…`).
    /// - Returns: The statuses in the order Salesforce returns them.
    public func campaignMemberStatuses(
        campaignId: String
    ) async throws(SalesforceError) -> [SalesforceCampaignMemberStatus] {
        let soql =
            "SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = "
            + Self.soqlLiteral(campaignId)
        return try await query(soql).compactMap { record in
            guard let label = record["Label"]?.stringValue else { return nil }
            return SalesforceCampaignMemberStatus(
                label: label,
                isDefault: record["IsDefault"]?.boolValue ?? false,
                hasResponded: record["HasResponded"]?.boolValue ?? false
            )
        }
    }
}
