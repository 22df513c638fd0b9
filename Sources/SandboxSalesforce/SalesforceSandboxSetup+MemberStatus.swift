// MARK: - SalesforceSandboxSetup.MemberStatus

extension SalesforceSandboxSetup {
    /// One CampaignMemberStatus value.
    public struct MemberStatus: Codable, Sendable, Equatable {
        /// The label, which is what CampaignMember `Status` holds (up to 765 characters).
        public var label: String
        /// Whether new members without a status get this one.
        public var isDefault: Bool
        /// Whether members with this status count as responded.
        public var hasResponded: Bool

        /// Creates a member status.
        public init(label: String, isDefault: Bool = false, hasResponded: Bool = false) {
            self.label = label
            self.isDefault = isDefault
            self.hasResponded = hasResponded
        }

        /// The nine channel statuses of docs/architecture.md; `Created` is the default and the success statuses
        /// (Registered, Confirmed, autoConfirmed, Attended, Participated) are responded.
        public static let channelStatuses: [MemberStatus] = [
            MemberStatus(label: "Created", isDefault: true),
            MemberStatus(label: "Invited"),
            MemberStatus(label: "Registered", hasResponded: true),
            MemberStatus(label: "Confirmed", hasResponded: true),
            MemberStatus(label: "autoConfirmed", hasResponded: true),
            MemberStatus(label: "Attended", hasResponded: true),
            MemberStatus(label: "Participated", hasResponded: true),
            MemberStatus(label: "Blocked"),
            MemberStatus(label: "Un-registered"),
        ]
    }
}
