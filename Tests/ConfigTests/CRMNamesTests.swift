import Config
import Foundation
import LeadModel
import Testing

@Suite("CRM API names per tenant")
struct CRMNamesTests {
    /// A tenant delivering to both CRMs, with `marketo` and `salesforce` lines appended to those sections.
    static func document(marketo: String = "", salesforce: String = "") -> String {
        """
        tenants:
          - tenant: acme
            destinations: [marketo, salesforce]
            events:
              summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
            marketo:
              munchkinId: 123-ABC-456
              clientId: client
              clientSecret: { env: ACME_SECRET }
        \(marketo)
            salesforce:
              clientId: consumer
              clientSecret: { env: ACME_SF_SECRET }
        \(salesforce)
        """
    }

    static func messages(_ text: String) -> [String] {
        switch TestSupport.parse(text) {
        case .success: []
        case .failure(let error): error.issues.map(\.description)
        }
    }

    @Test("Without name settings every tenant gets docs/crm-setup.md's names")
    func defaults() throws {
        let tenant = try #require(try TestSupport.parse(Self.document()).get().tenants.first)
        let marketo = try #require(tenant.marketo)
        #expect(marketo.activityType.apiName == "userSessionEngagement")
        #expect(marketo.activityType.attributes[.commandId] == "command_id")
        #expect(marketo.activityType.attributes.count == 19)
        #expect(marketo.activityType.attributes[.metric(.clapClickedCount)] == nil)
        #expect(marketo.customObject.apiName == "kalturaUserSessionEngagement")
        #expect(marketo.customObject.entryIdField == "entry_id")
        #expect(marketo.customObject.leadLinkField == "personId")
        #expect(marketo.customObject.dedupeFields == ["entry_id", "personId"])
        #expect(marketo.customObject.fields[.metric(.clapClickedCount)] == "clap_clicked_count")
        let salesforce = try #require(tenant.salesforce)
        #expect(salesforce.campaignMember.externalIdField == "external_id__c")
        #expect(salesforce.campaignMember.label(for: .unregistered) == "Un-registered")
        #expect(salesforce.engagement.object == "UserSessionEngagement__c")
        #expect(salesforce.engagement.externalIdField == "engagement_key__c")
        #expect(salesforce.engagement.fields[.lead] == "Lead__c")
        #expect(salesforce.engagement.fields[.metric(.plays)] == "plays__c")
        #expect(
            salesforce.engagement.fields[.metric(.combinedLiveEngagedUsersPlayTimeRatio)]
                == "combined_live_engaged_ratio__c"
        )
        #expect(salesforce.engagement.fields.values.allSatisfy { $0.count <= 43 })
    }

    @Test("Renamed objects, fields, dedupe fields and labels are read and merged over the defaults")
    func renamed() throws {
        let text = Self.document(
            marketo: """
                      activityType:
                        apiName: sessionEngagement
                        attributes: { commandId: null, plays: playCount }
                      customObject:
                        apiName: engagementRecord_c
                        fields: { entryId: session_id, lead: leadLink, userId: null }
                        dedupeFields: [session_id, leadLink]
                """,
            salesforce: """
                      campaignMember:
                        externalIdField: LeadSync_Key__c
                        statusLabels: { Un-registered: Unregistered, autoConfirmed: Confirmed }
                      engagement:
                        object: Session_Engagement__c
                        externalIdField: Key__c
                        fields: { lead: Lead_Ref__c, mic_on: null }
                """
        )
        let tenant = try #require(try TestSupport.parse(text).get().tenants.first)
        let marketo = try #require(tenant.marketo)
        #expect(marketo.activityType.apiName == "sessionEngagement")
        #expect(marketo.activityType.attributes[.commandId] == nil)
        #expect(marketo.activityType.attributes[.metric(.plays)] == "playCount")
        #expect(marketo.activityType.attributes[.entryName] == "entry_name")
        #expect(marketo.customObject.apiName == "engagementRecord_c")
        #expect(marketo.customObject.entryIdField == "session_id")
        #expect(marketo.customObject.leadLinkField == "leadLink")
        #expect(marketo.customObject.fields[.userId] == nil)
        #expect(marketo.customObject.fields[.entryId] == nil)
        #expect(marketo.customObject.dedupeFields == ["session_id", "leadLink"])
        let salesforce = try #require(tenant.salesforce)
        #expect(salesforce.campaignMember.externalIdField == "LeadSync_Key__c")
        #expect(salesforce.campaignMember.label(for: .unregistered) == "Unregistered")
        #expect(salesforce.campaignMember.label(for: .autoConfirmed) == "Confirmed")
        #expect(salesforce.campaignMember.label(for: .attended) == "Attended")
        #expect(salesforce.engagement.object == "Session_Engagement__c")
        #expect(salesforce.engagement.externalIdField == "Key__c")
        #expect(salesforce.engagement.fields[.lead] == "Lead_Ref__c")
        #expect(salesforce.engagement.fields[.metric(.micOn)] == nil)
    }

    @Test("Dedupe fields default to the renamed entry id and lead link")
    func dedupeFollowsRenames() throws {
        let text = Self.document(marketo: "      customObject: { fields: { entryId: sid, lead: who } }")
        let marketo = try #require(try TestSupport.parse(text).get().tenants.first?.marketo)
        #expect(marketo.customObject.dedupeFields == ["sid", "who"])
    }

    @Test(
        "Wrong names are reported with their path, line and the fix",
        arguments: [
            (
                "      customObject: { fields: { entryID: x } }",
                "config.yaml: tenants[0].marketo.customObject.fields[\"entryID\"]: \"entryID\" is not a field here; "
                    + "did you mean \"entryId\"?"
            ),
            (
                "      customObject: { fields: { lead: null } }",
                "config.yaml: tenants[0].marketo.customObject.fields[\"lead\"]: lead cannot be left out: every "
                    + "record needs it"
            ),
            (
                "      customObject: { dedupeFields: [entry_id, user_id] }",
                "config.yaml: tenants[0].marketo.customObject.dedupeFields[1]: \"user_id\" is not a field every "
                    + "record carries"
            ),
            (
                "      customObject: { dedupeFields: [] }",
                "config.yaml: tenants[0].marketo.customObject.dedupeFields: names 0 fields"
            ),
            (
                "      activityType: { apiName: \"user session\" }",
                "config.yaml: tenants[0].marketo.activityType.apiName: \"user session\" is not an API name"
            ),
            (
                "      activityType: { attributes: { entryName: plays } }",
                "config.yaml: tenants[0].marketo.activityType.attributes: entryName and plays are both sent as "
                    + "\"plays\""
            ),
            (
                "      activityType: { apiNam: x }",
                "config.yaml: tenants[0].marketo.activityType.apiNam: unknown key; did you mean \"apiName\"?"
            ),
        ]
    )
    func marketoProblems(lines: String, expected: String) {
        let messages = Self.messages(Self.document(marketo: lines))
        #expect(messages.contains { $0.hasPrefix(expected) }, "\(messages)")
        #expect(messages.allSatisfy { $0.contains("(line ") }, "\(messages)")
    }

    @Test(
        "Wrong Salesforce names are reported with their path and the fix",
        arguments: [
            (
                "      campaignMember: { statusLabels: { Atended: Present } }",
                "config.yaml: tenants[0].salesforce.campaignMember.statusLabels[\"Atended\"]: \"Atended\" is not a "
                    + "channel status; did you mean \"Attended\"?"
            ),
            (
                "      campaignMember: { externalIdField: \"2key\" }",
                "config.yaml: tenants[0].salesforce.campaignMember.externalIdField: \"2key\" is not an API name"
            ),
            (
                "      engagement: { fields: { entryId: engagement_key__c } }",
                "config.yaml: tenants[0].salesforce.engagement.fields: entryId is sent as \"engagement_key__c\", the "
                    + "External ID field"
            ),
            (
                "      engagement: { fields: { commandId: Command__c } }",
                "config.yaml: tenants[0].salesforce.engagement.fields[\"commandId\"]: \"commandId\" is not a field here"
            ),
        ]
    )
    func salesforceProblems(lines: String, expected: String) {
        let messages = Self.messages(Self.document(salesforce: lines))
        #expect(messages.contains { $0.hasPrefix(expected) }, "\(messages)")
    }
}

@Suite("Validation by role")
struct ConfigRoleTests {
    /// Two tenants whose CRM sections are missing: the fold needs none of them.
    static let foldOnly = """
        tenants:
          - tenant: acme
            destinations: [marketo, salesforce]
            events:
              summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
          - tenant: globex
            destinations: [salesforce]
            events:
              partner-day: { salesforceCampaignId: 701Dn0000000002IAA }
            salesforce:
              clientId: consumer
              clientSecret: { env: GLOBEX_SF_SECRET }
        """

    static func load(_ text: String, role: ConfigRole) -> Result<LeadSyncConfig, ConfigurationError> {
        do {
            return .success(
                try LeadSyncConfig.parse(
                    text,
                    fileName: "config.yaml",
                    source: SecretSource(environment: [:], readFile: TestSupport.noFiles),
                    role: role
                )
            )
        } catch {
            return .failure(error)
        }
    }

    @Test("The fold loads tenants, events and mappings without CRM sections")
    func foldNeedsNoCRM() throws {
        let config = try Self.load(Self.foldOnly, role: .fold).get()
        #expect(config.tenants.map(\.tenant) == ["acme", "globex"])
        #expect(config.tenants[0].marketo == nil)
        #expect(config.tenantDirectory.rules(for: "acme")?.eventMappings["summit-2026"]?.marketoProgramId == 1001)
        // The fold resolves Kafka's secrets only (none here): the CRM secrets' variables are unset, and that is fine.
        try config.checkSecrets(for: .fold)
    }

    @Test("A writer needs its own CRM's section of each tenant that delivers there, not the other one's")
    func writerNeedsItsOwnSection() throws {
        let salesforce = try Self.load(
            Self.foldOnly.replacingOccurrences(
                of: "      summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }",
                with: """
                          summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
                        salesforce:
                          clientId: consumer
                          clientSecret: { env: ACME_SF_SECRET }
                    """
            ),
            role: .writer(.salesforce)
        ).get()
        #expect(salesforce.tenants.compactMap(\.salesforce).count == 2)

        guard case .failure(let error) = Self.load(Self.foldOnly, role: .writer(.marketo)) else {
            Issue.record("the Marketo writer loaded a tenant without its marketo section")
            return
        }
        #expect(
            error.issues.map(\.description) == [
                "config.yaml: tenants[0].marketo: is missing, but marketo is a destination of tenant \"acme\"; "
                    + "expected "
                    + "the Marketo subscription (munchkinId, clientId, clientSecret) (line 2, column 5)"
            ]
        )
        guard case .failure(let all) = Self.load(Self.foldOnly, role: .all) else {
            Issue.record("leadsync run loaded tenants without their CRM sections")
            return
        }
        #expect(all.issues.count == 2)
    }

    @Test("A section that is present is validated whatever the role")
    func presentSectionsAreValidated() {
        let broken = Self.foldOnly.replacingOccurrences(of: "clientId: consumer", with: "clientld: consumer")
        guard case .failure(let error) = Self.load(broken, role: .fold) else {
            Issue.record("a misspelt key in a CRM section was accepted")
            return
        }
        #expect(error.issues.contains { $0.description.contains("clientld: unknown key; did you mean \"clientId\"?") })
    }

    @Test("Unresolvable secrets of a role are reported all at once, without values, and only the role's")
    func secretsByRole() throws {
        let text = CRMNamesTests.document()
        let config = try LeadSyncConfig.parse(
            text,
            fileName: "config.yaml",
            source: SecretSource(environment: ["ACME_SF_SECRET": ""], readFile: TestSupport.noFiles)
        )
        #expect(config.secrets(for: .fold).isEmpty)
        #expect(config.secrets(for: .writer(.marketo)).map(\.setting) == ["tenants[0].marketo.clientSecret"])
        let all = #expect(throws: ConfigurationError.self) { try config.checkSecrets(for: .all) }
        #expect(
            all?.issues.map(\.description) == [
                "secrets: tenants[0].marketo.clientSecret: environment variable ACME_SECRET is not set; expected the "
                    + "secret referenced by env ACME_SECRET",
                "secrets: tenants[0].salesforce.clientSecret: environment variable ACME_SF_SECRET is empty; expected "
                    + "the secret referenced by env ACME_SF_SECRET",
            ]
        )
        let salesforce = #expect(throws: ConfigurationError.self) { try config.checkSecrets(for: .writer(.salesforce)) }
        #expect(salesforce?.issues.map(\.path) == ["tenants[0].salesforce.clientSecret"])
    }
}
