// MARK: - SalesforceMemberRow

/// One CampaignMember status to send, for one command.
struct SalesforceMemberRow: Sendable {
    /// The command's index in the batch.
    var item: Int
    /// The campaign.
    var campaignId: String
    /// The Lead or Contact.
    var person: SalesforcePerson
    /// The status label as the campaign spells it.
    var status: String
    /// `{campaignId}_{personId}`: the member's External ID.
    var key: String
    /// Whether the member exists under ``key``: then only `Status` is sent (CampaignId, LeadId and ContactId
    /// may be set on create only).
    var exists: Bool
}
