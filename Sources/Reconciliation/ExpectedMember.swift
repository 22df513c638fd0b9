public import LeadModel

// MARK: - ExpectedMember

/// One lead's membership as the fold computed it: what the CRM should hold.
public struct ExpectedMember: Sendable, Hashable {
    /// The lead.
    public var leadKey: LeadKey
    /// The fold's status.
    public var status: ChannelStatus
    /// The `occurredAt` of the event that set it.
    public var occurredAt: Timestamp
    /// The highest step the fold applied earlier in this event when the current status is lower (an allowed
    /// backward transition such as a re-registration), else `nil`. Marketo keeps that higher step.
    public var highestEarlierStep: Int?
    /// The platform's user id, when known (corrective commands carry it).
    public var userId: String?
    /// The lead's registration profile, when known (the writer may need it to create the lead).
    public var profile: LeadProfile?

    /// Creates an expected member.
    public init(
        leadKey: LeadKey,
        status: ChannelStatus,
        occurredAt: Timestamp,
        highestEarlierStep: Int? = nil,
        userId: String? = nil,
        profile: LeadProfile? = nil
    ) {
        self.leadKey = leadKey
        self.status = status
        self.occurredAt = occurredAt
        self.highestEarlierStep = highestEarlierStep
        self.userId = userId
        self.profile = profile
    }
}
