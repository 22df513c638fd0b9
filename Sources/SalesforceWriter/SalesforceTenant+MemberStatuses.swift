import Delivery
import Salesforce

// MARK: - SalesforceTenant + MemberStatuses

extension SalesforceTenant {
    /// The member status labels of a campaign, from memory when read less than
    /// ``SalesforceSinkOptions/memberStatusLifetime`` ago (or `minimumAge` ago, to re-check a label that was
    /// missing), otherwise with one query.
    func statusLabels(
        campaignId: String,
        limiter: CallLimiter,
        refreshingOlderThan minimumAge: Duration? = nil
    ) async -> Result<SalesforceCampaignStatusLabels, DeliveryFailure> {
        let now = ContinuousClock.now
        let maximumAge = minimumAge ?? options.memberStatusLifetime
        if let known = statusLabels.withLock({ $0[campaignId] }), now - known.readAt < maximumAge {
            return .success(known)
        }
        let result = await perform(limiter, context: "reading the member statuses of campaign \(campaignId)") {
            client async throws(SalesforceError) in
            try await client.campaignMemberStatuses(campaignId: campaignId)
        }
        switch result {
        case .success(let statuses):
            var labels: [String: String] = [:]
            for status in statuses { labels[status.label.lowercased()] = status.label }
            let read = SalesforceCampaignStatusLabels(labels: labels, readAt: ContinuousClock.now)
            statusLabels.withLock { $0[campaignId] = read }
            return .success(read)
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
