// MARK: - CommandTarget

/// Where a command goes: a Marketo program or a Salesforce campaign.
public enum CommandTarget: Sendable, Hashable {
    /// A Marketo program.
    case marketo(programId: Int)
    /// A Salesforce campaign.
    case salesforce(campaignId: String)

    /// The CRM.
    public var destination: Destination {
        switch self {
        case .marketo: .marketo
        case .salesforce: .salesforce
        }
    }

    /// The Marketo program id, for Marketo targets.
    public var programId: Int? {
        if case .marketo(let programId) = self { return programId }
        return nil
    }

    /// The Salesforce campaign id, for Salesforce targets.
    public var campaignId: String? {
        if case .salesforce(let campaignId) = self { return campaignId }
        return nil
    }
}
