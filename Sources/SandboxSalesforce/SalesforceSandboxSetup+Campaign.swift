// MARK: - SalesforceSandboxSetup.Campaign

extension SalesforceSandboxSetup {
    /// A campaign and its CampaignMemberStatus values.
    public struct Campaign: Codable, Sendable, Equatable {
        /// The campaign id (`701…`).
        public var id: String
        /// The campaign name.
        public var name: String
        /// The member statuses; exactly one default and at least one responded (required from v39).
        public var statuses: [MemberStatus]

        /// Creates a campaign; statuses default to the nine channel statuses of the design.
        public init(id: String, name: String, statuses: [MemberStatus] = MemberStatus.channelStatuses) {
            self.id = id
            self.name = name
            self.statuses = statuses
        }

        private enum CodingKeys: String, CodingKey { case id, name, statuses }

        /// Decodes a campaign; `statuses` may be absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                id: try c.decode(String.self, forKey: .id),
                name: try c.decode(String.self, forKey: .name),
                statuses: try c.decodeIfPresent([MemberStatus].self, forKey: .statuses) ?? MemberStatus.channelStatuses
            )
        }
    }
}
