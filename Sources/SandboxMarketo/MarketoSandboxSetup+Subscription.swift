extension MarketoSandboxSetup {
    /// One Marketo instance: its munchkin id, one API-only user's client credentials, and what is set up in it.
    public struct Subscription: Sendable, Codable, Equatable {
        /// The munchkin id, e.g. `123-ABC-456` (the real base URL is `https://{munchkinId}.mktorest.com`).
        public var munchkinId: String
        /// The client id of the custom service's API-only user.
        public var clientId: String
        /// The client secret of that service.
        public var clientSecret: String
        /// The API-only user's email, returned as the token's `scope` and in usage statistics.
        public var apiUser: String
        /// Program channels with their progression statuses.
        public var channels: [Channel]
        /// Programs, each on one channel.
        public var programs: [Program]
        /// Custom activity types.
        public var activityTypes: [ActivityType]
        /// Custom object types.
        public var customObjects: [CustomObject]
        /// Lead fields (standard and custom); REST names.
        public var leadFields: [Field]
        /// Limits and quotas.
        public var limits: Limits
        /// How Sync Program Member Status reports a status name the channel lacks (the reference leaves it open).
        public var invalidStatusReporting: InvalidStatusReporting
        /// Whether overlapping Sync Leads calls for the same new lead each create it, as the reference warns
        /// ("Concurrent upserts with the same key can create duplicates"): a call does not see leads created
        /// by calls that were still in flight when it arrived.
        public var concurrentUpsertsMayDuplicate: Bool

        /// Creates a subscription; everything but the credentials defaults to docs/crm-setup.md's provisioning.
        public init(
            munchkinId: String,
            clientId: String,
            clientSecret: String,
            apiUser: String? = nil,
            channels: [Channel] = [Channel.event],
            programs: [Program] = Program.standard,
            activityTypes: [ActivityType] = [ActivityType.userSessionEngagement],
            customObjects: [CustomObject] = [CustomObject.kalturaUserSessionEngagement],
            leadFields: [Field] = Field.standardLeadFields,
            limits: Limits = Limits(),
            invalidStatusReporting: InvalidStatusReporting = .perRecord,
            concurrentUpsertsMayDuplicate: Bool = true
        ) {
            self.munchkinId = munchkinId
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.apiUser = apiUser ?? "leadsync@\(munchkinId.lowercased()).example.com"
            self.channels = channels
            self.programs = programs
            self.activityTypes = activityTypes
            self.customObjects = customObjects
            self.leadFields = leadFields
            self.limits = limits
            self.invalidStatusReporting = invalidStatusReporting
            self.concurrentUpsertsMayDuplicate = concurrentUpsertsMayDuplicate
        }

        private enum CodingKeys: String, CodingKey {
            case munchkinId, clientId, clientSecret, apiUser, channels, programs, activityTypes, customObjects
            case leadFields, limits, invalidStatusReporting, concurrentUpsertsMayDuplicate
        }

        /// Decodes a subscription; missing keys take the defaults of the memberwise initialiser (the setup
        /// guides' provisioning and the documented limits).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                munchkinId: try c.decode(String.self, forKey: .munchkinId),
                clientId: try c.decode(String.self, forKey: .clientId),
                clientSecret: try c.decode(String.self, forKey: .clientSecret),
                apiUser: try c.decodeIfPresent(String.self, forKey: .apiUser),
                channels: try c.decodeIfPresent([Channel].self, forKey: .channels) ?? [Channel.event],
                programs: try c.decodeIfPresent([Program].self, forKey: .programs) ?? Program.standard,
                activityTypes: try c.decodeIfPresent([ActivityType].self, forKey: .activityTypes)
                    ?? [ActivityType.userSessionEngagement],
                customObjects: try c.decodeIfPresent([CustomObject].self, forKey: .customObjects)
                    ?? [CustomObject.kalturaUserSessionEngagement],
                leadFields: try c.decodeIfPresent([Field].self, forKey: .leadFields) ?? Field.standardLeadFields,
                limits: try c.decodeIfPresent(Limits.self, forKey: .limits) ?? Limits(),
                invalidStatusReporting: try c.decodeIfPresent(
                    InvalidStatusReporting.self,
                    forKey: .invalidStatusReporting
                )
                    ?? .perRecord,
                concurrentUpsertsMayDuplicate: try c.decodeIfPresent(Bool.self, forKey: .concurrentUpsertsMayDuplicate)
                    ?? true
            )
        }
    }

    /// Where an unknown `statusName` is reported: the reference defines code 1025 "Program status not found" but
    /// not whether Sync Program Member Status returns it per record or for the whole call.
    public enum InvalidStatusReporting: String, Sendable, Codable, Equatable {
        /// Every record is `skipped` with reason 1025 (the default: 1025 is in the record-level table).
        case perRecord
        /// The call fails: `success:false`, `errors:[{"code":"1025",…}]`.
        case responseLevel
    }
}
