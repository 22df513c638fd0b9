// MARK: - SalesforceSandboxSetup.Org

extension SalesforceSandboxSetup {
    /// One Salesforce org: its id, connected app, data model extensions, starting data and limits.
    public struct Org: Codable, Sendable, Equatable {
        /// The 18-character org id (`00D…`), used in access tokens and the identity URL.
        public var orgId: String
        /// The connected app's consumer key (`client_id`, also the JWT `iss`).
        public var clientId: String
        /// The connected app's consumer secret.
        public var clientSecret: String
        /// Whether the client credentials flow has a "Run As" user; without one the token endpoint answers
        /// `invalid_grant` / `no client credentials user enabled`.
        public var clientCredentialsEnabled: Bool
        /// The user that tokens act as (the client credentials "Run As" user).
        public var username: String
        /// The JWT bearer flow, when the connected app allows it.
        public var jwtBearer: JWTBearer?
        /// Campaigns with their CampaignMemberStatus values.
        public var campaigns: [Campaign]
        /// Leads present at start, including converted ones.
        public var leads: [Lead]
        /// Contacts present at start.
        public var contacts: [Contact]
        /// Custom fields added to CampaignMember; by default `external_id__c`.
        public var campaignMemberFields: [CustomField]
        /// Custom objects; by default `UserSessionEngagement__c`.
        public var customObjects: [CustomObject]
        /// What a CampaignMember `Status` outside the campaign's statuses does.
        public var campaignMemberStatusMode: StatusMode
        /// What sending a create-only field (CampaignId, LeadId, ContactId) on update does.
        public var createOnlyFieldsOnUpdate: CreateOnlyFieldPolicy
        /// Request allocations and size limits.
        public var limits: Limits

        /// Creates an org; everything but the ids and the connected app has docs/crm-setup.md's defaults.
        public init(
            orgId: String,
            clientId: String,
            clientSecret: String,
            clientCredentialsEnabled: Bool = true,
            username: String = "integration@leadsync.example",
            jwtBearer: JWTBearer? = nil,
            campaigns: [Campaign] = [],
            leads: [Lead] = [],
            contacts: [Contact] = [],
            campaignMemberFields: [CustomField] = [CustomField.campaignMemberExternalId()],
            customObjects: [CustomObject] = [CustomObject.userSessionEngagement()],
            campaignMemberStatusMode: StatusMode = .reject,
            createOnlyFieldsOnUpdate: CreateOnlyFieldPolicy = .reject,
            limits: Limits = Limits()
        ) {
            self.orgId = orgId
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.clientCredentialsEnabled = clientCredentialsEnabled
            self.username = username
            self.jwtBearer = jwtBearer
            self.campaigns = campaigns
            self.leads = leads
            self.contacts = contacts
            self.campaignMemberFields = campaignMemberFields
            self.customObjects = customObjects
            self.campaignMemberStatusMode = campaignMemberStatusMode
            self.createOnlyFieldsOnUpdate = createOnlyFieldsOnUpdate
            self.limits = limits
        }

        private enum CodingKeys: String, CodingKey {
            case orgId, clientId, clientSecret, clientCredentialsEnabled, username, jwtBearer, campaigns, leads
            case contacts, campaignMemberFields, customObjects, campaignMemberStatusMode, createOnlyFieldsOnUpdate
            case limits
        }

        /// Decodes an org; members with defaults may be absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                orgId: try c.decode(String.self, forKey: .orgId),
                clientId: try c.decode(String.self, forKey: .clientId),
                clientSecret: try c.decode(String.self, forKey: .clientSecret),
                clientCredentialsEnabled: try c.decodeIfPresent(Bool.self, forKey: .clientCredentialsEnabled) ?? true,
                username: try c.decodeIfPresent(String.self, forKey: .username) ?? "integration@leadsync.example",
                jwtBearer: try c.decodeIfPresent(JWTBearer.self, forKey: .jwtBearer),
                campaigns: try c.decodeIfPresent([Campaign].self, forKey: .campaigns) ?? [],
                leads: try c.decodeIfPresent([Lead].self, forKey: .leads) ?? [],
                contacts: try c.decodeIfPresent([Contact].self, forKey: .contacts) ?? [],
                campaignMemberFields: try c.decodeIfPresent([CustomField].self, forKey: .campaignMemberFields)
                    ?? [CustomField.campaignMemberExternalId()],
                customObjects: try c.decodeIfPresent([CustomObject].self, forKey: .customObjects)
                    ?? [CustomObject.userSessionEngagement()],
                campaignMemberStatusMode: try c.decodeIfPresent(StatusMode.self, forKey: .campaignMemberStatusMode)
                    ?? .reject,
                createOnlyFieldsOnUpdate: try c.decodeIfPresent(
                    CreateOnlyFieldPolicy.self,
                    forKey: .createOnlyFieldsOnUpdate
                ) ?? .reject,
                limits: try c.decodeIfPresent(Limits.self, forKey: .limits) ?? Limits()
            )
        }
    }

    /// What the sandbox does with a CampaignMember `Status` that is not one of the campaign's labels.
    /// The reference marks this unconfirmed (⚠U), so both behaviours are offered.
    public enum StatusMode: String, Codable, Sendable, Equatable {
        /// Reject with `INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST`.
        case reject
        /// Store the campaign's default status without an error (the API 2.0-era documented behaviour).
        case defaultSilently
    }

    /// What sending CampaignId / LeadId / ContactId on a CampaignMember update does (⚠U in the reference).
    public enum CreateOnlyFieldPolicy: String, Codable, Sendable, Equatable {
        /// Always `INVALID_FIELD_FOR_INSERT_UPDATE`, even when the value is unchanged.
        case reject
        /// Accept an unchanged value; reject a changed one.
        case ignoreUnchanged
    }
}
