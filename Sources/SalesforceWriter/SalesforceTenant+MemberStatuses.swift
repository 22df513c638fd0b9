import Basics
import Delivery
import Foundation
import Salesforce

// MARK: - SalesforceTenant + MemberStatuses

extension SalesforceTenant {
    /// The member status labels of a campaign: from memory or the persistent cache when read less than
    /// ``SalesforceSinkOptions/memberStatusLifetime`` ago (or `maximumAge` ago, to re-check a label that was
    /// missing), otherwise with one query, whose answer is cached.
    func statusLabels(
        campaignId: String,
        limiter: CallLimiter,
        refreshingOlderThan maximumAge: Duration? = nil
    ) async -> Result<SalesforceCampaignStatusLabels, DeliveryFailure> {
        let lifetime = (maximumAge ?? options.memberStatusLifetime).seconds
        let now = Date()
        let known = statusLabels.withLock { $0[campaignId] } ?? cache.statusLabels(campaignId: campaignId)
        if let known, now.timeIntervalSince(known.readAt) < lifetime, now >= known.readAt {
            statusLabels.withLock { $0[campaignId] = known }
            return .success(known)
        }
        let result = await perform(limiter, context: "reading the member statuses of campaign \(campaignId)") {
            client async throws(SalesforceError) in
            try await client.campaignMemberStatuses(campaignId: campaignId)
        }
        switch result {
        case .success(let statuses):
            let read = SalesforceCampaignStatusLabels(labels: statuses.map(\.label), readAt: Date())
            statusLabels.withLock { $0[campaignId] = read }
            cache.rememberStatusLabels(read, campaignId: campaignId)
            return .success(read)
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
