import Config
import Foundation
import LeadModel
import Logging
import SandboxMarketo
import SandboxSalesforce
import Testing

/// Both CRM sandboxes as the development configuration's tenants see them: Marketo subscription 123-ABC-456 with
/// programs 1001-1003, and a Salesforce org with the two standard campaigns and the engagement External ID.
final class CRMSandboxes: Sendable {
    static let munchkinId = "123-ABC-456"
    let marketo: MarketoSandbox
    let salesforce: SalesforceSandbox
    let marketoURL: URL
    let salesforceURL: URL
    private let tasks: [Task<Void, any Error>]

    private init(
        marketo: MarketoSandbox,
        salesforce: SalesforceSandbox,
        marketoURL: URL,
        salesforceURL: URL,
        tasks: [Task<Void, any Error>]
    ) {
        self.marketo = marketo
        self.salesforce = salesforce
        self.marketoURL = marketoURL
        self.salesforceURL = salesforceURL
        self.tasks = tasks
    }

    static func start() async throws -> CRMSandboxes {
        let quiet = Logger(label: "pipeline.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        let marketo = try MarketoSandbox(
            setup: MarketoSandboxSetup.standard(munchkinId: munchkinId),
            options: MarketoSandboxOptions(logger: quiet)
        )
        let salesforce = try SalesforceSandbox(setup: .standard(), options: .init(logger: quiet))
        let tasks = [Task { try await marketo.run() }, Task { try await salesforce.run() }]
        return CRMSandboxes(
            marketo: marketo,
            salesforce: salesforce,
            marketoURL: try await marketo.baseURL(),
            salesforceURL: try await salesforce.waitUntilRunning(),
            tasks: tasks
        )
    }

    func stop() {
        for task in tasks { task.cancel() }
    }

    static let campaigns = [SalesforceSandboxSetup.standardCampaignId(0), SalesforceSandboxSetup.standardCampaignId(1)]

    /// The simulation's tenants: acme (both CRMs) and globex (Marketo), sharing the subscription half and half.
    /// No backward transitions, so that a lead's last status command is the status each CRM must end with.
    func tenants() -> [TenantSettings] {
        func marketoSettings(_ tenant: String) -> MarketoTenantSettings {
            MarketoTenantSettings(
                munchkinId: Self.munchkinId,
                baseURL: marketoURL,
                clientId: "leadsync-client-id",
                clientSecret: Secret(
                    reference: .environment("MKTO_SECRET"),
                    setting: "tenants.\(tenant).marketo.clientSecret",
                    source: SecretSource(environment: ["MKTO_SECRET": "leadsync-client-secret"])
                ),
                callShare: 0.5
            )
        }
        let salesforce = SalesforceTenantSettings(
            loginURL: salesforceURL,
            clientId: "leadsync-sandbox-client",
            authentication: .clientCredentials(
                clientSecret: Secret(
                    reference: .environment("SF_SECRET"),
                    setting: "tenants.acme.salesforce.clientSecret",
                    source: SecretSource(environment: ["SF_SECRET": "leadsync-sandbox-secret"])
                )
            )
        )
        return [
            TenantSettings(
                tenant: "acme",
                destinations: [.marketo, .salesforce],
                events: [
                    "summit-2026": EventMapping(marketoProgramId: 1001, salesforceCampaignId: Self.campaigns[0]),
                    "webinar-7": EventMapping(marketoProgramId: 1002, salesforceCampaignId: Self.campaigns[1]),
                ],
                allowedBackwardTransitions: [],
                marketo: marketoSettings("acme"),
                salesforce: salesforce
            ),
            TenantSettings(
                tenant: "globex",
                destinations: [.marketo],
                events: ["partner-day-2026": EventMapping(marketoProgramId: 1003)],
                allowedBackwardTransitions: [],
                marketo: marketoSettings("globex")
            ),
        ]
    }

    /// About 20% of calls fail at each CRM, with a mix of rate limits, transient codes, 5xx and dropped
    /// connections.
    func injectFaultStorm() {
        for fault in [
            MarketoFault(rate: 0.05, errorCode: "606", seed: 1),
            MarketoFault(rate: 0.02, errorCode: "615", seed: 2),
            MarketoFault(rate: 0.04, errorCode: "604", seed: 3),
            MarketoFault(rate: 0.05, httpStatus: 503, seed: 4),
            MarketoFault(rate: 0.04, dropConnection: true, seed: 5),
            // Whatever the draws: the first two status calls fail as a retry-class error, so the retry topic is
            // always exercised (fewer, fuller batches can otherwise dodge the random rules).
            MarketoFault(endpoint: "/rest/v1/programs/{programId}/members/status.json", remaining: 2, httpStatus: 503),
        ] {
            _ = marketo.addFault(fault)
        }
        for fault in [
            SandboxFault(kind: .error, errorCode: "SERVER_UNAVAILABLE", rate: 0.05, seed: 11),
            SandboxFault(
                kind: .error,
                endpoint: "collections",
                errorCode: "UNABLE_TO_LOCK_ROW",
                rate: 0.05,
                seed: 12,
                perRecord: true
            ),
            SandboxFault(kind: .error, httpStatus: 503, rate: 0.05, seed: 13),
            SandboxFault(kind: .drop, rate: 0.05, seed: 14),
            SandboxFault(kind: .error, endpoint: "collections", errorCode: "SERVER_UNAVAILABLE", remaining: 2),
        ] {
            salesforce.inject(fault)
        }
    }

    /// Checks the CRMs hold exactly what the commands say.
    func verify(_ expected: CRMExpectations) {
        guard let snapshot = marketo.snapshot(Self.munchkinId) else {
            Issue.record("no Marketo subscription \(Self.munchkinId)")
            return
        }
        let leadIds = Dictionary(
            grouping: snapshot.leads.compactMap { lead in lead.email.map { ($0.lowercased(), lead.id) } }
        ) { $0.0 }
        for (email, ids) in leadIds where ids.count > 1 {
            Issue.record("Marketo holds \(ids.count) leads for \(email)")
        }
        var marketoMismatches: [String] = []
        for (key, status) in expected.marketoStatuses {
            let parts = key.split(separator: "|")
            guard let leadId = leadIds[String(parts[0])]?.first?.1, let program = Int(parts[1]),
                let membership = snapshot.membership(programId: program, leadId: leadId)
            else {
                marketoMismatches.append("\(key): missing")
                continue
            }
            if membership.statusName != status {
                marketoMismatches.append("\(key): \(membership.statusName) != \(status)")
            }
        }
        #expect(marketoMismatches.isEmpty, "Marketo: \(marketoMismatches.prefix(10))")
        #expect(snapshot.customObjects.count == expected.marketoEngagements.count)
        let activityCommandIds = snapshot.activities.map { $0.attributes["commandId"]?.description ?? "none" }
        let repeatedCommandIds = Dictionary(grouping: activityCommandIds) { $0 }.filter { $0.value.count > 1 }
        let added = snapshot.activities.count
        let commandIdCount = expected.marketoActivityCommandIds.count
        let someRepeated = repeatedCommandIds.keys.sorted().prefix(3)
        #expect(
            added == expected.marketoActivities.count,
            """
            each activity once: \(added) added for \(expected.marketoActivities.count) (lead, entry) pairs; \
            \(expected.marketoActivityCommands) activity commands with \(commandIdCount) command ids; \
            \(repeatedCommandIds.count) command ids added more than once (\(someRepeated))
            """
        )

        let people = Dictionary(
            salesforce.records("Lead").compactMap { lead in lead["Email"].string.map { ($0.lowercased(), lead.id) } },
            uniquingKeysWith: { first, _ in first }
        )
        #expect(people.count == Set(salesforce.records("Lead").compactMap { $0["Email"].string?.lowercased() }).count)
        var members: [String: String] = [:]
        for member in salesforce.campaignMembers() {
            guard let key = member["external_id__c"].string, let status = member["Status"].string else { continue }
            #expect(members[key] == nil, "CampaignMember \(key) twice")
            members[key] = status
        }
        var salesforceMismatches: [String] = []
        for (key, status) in expected.salesforceStatuses {
            let parts = key.split(separator: "|")
            guard let leadId = people[String(parts[0])] else {
                salesforceMismatches.append("\(key): no lead")
                continue
            }
            let external = "\(parts[1])_\(leadId)"
            if members[external] != status {
                salesforceMismatches.append("\(key): \(members[external] ?? "missing") != \(status)")
            }
        }
        #expect(salesforceMismatches.isEmpty, "Salesforce: \(salesforceMismatches.prefix(10))")
        #expect(salesforce.engagementRecords().count == expected.salesforceEngagements.count)
    }
}
