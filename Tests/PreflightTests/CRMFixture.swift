import Config
import Foundation
import Logging
import Preflight
import SandboxMarketo
import SandboxSalesforce
import Testing

/// A Marketo and a Salesforce sandbox on ephemeral loopback ports, provisioned as given, and a configuration
/// (YAML, as an operator writes it) whose tenant `acme` delivers to both.
final class CRMFixture: Sendable {
    let marketo: MarketoSandbox
    let salesforce: SalesforceSandbox
    let marketoURL: URL
    let salesforceURL: URL
    private let tasks: [Task<Void, any Error>]

    static let logger = Logger(label: "test.preflight", factory: { _ in SwiftLogNoOpLogHandler() })
    static let munchkinId = "123-ABC-456"
    static let campaign = SalesforceSandboxSetup.standardCampaignId(0)
    static let otherCampaign = SalesforceSandboxSetup.standardCampaignId(1)

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

    deinit {
        for task in tasks { task.cancel() }
    }

    /// docs/crm-setup.md's Marketo subscription.
    static func marketoSubscription() -> MarketoSandboxSetup.Subscription {
        MarketoSandboxSetup.standard(munchkinId: munchkinId).subscriptions[0]
    }

    /// docs/crm-setup.md's Salesforce org.
    static func salesforceOrg() -> SalesforceSandboxSetup.Org {
        SalesforceSandboxSetup.standard().orgs[0]
    }

    /// Starts both sandboxes.
    static func start(
        marketo subscription: MarketoSandboxSetup.Subscription = marketoSubscription(),
        salesforce org: SalesforceSandboxSetup.Org = salesforceOrg()
    ) async throws -> CRMFixture {
        let marketo = try MarketoSandbox(
            setup: MarketoSandboxSetup(subscriptions: [subscription]),
            options: MarketoSandboxOptions(logger: logger)
        )
        let marketoTask = Task { try await marketo.run() }
        let salesforce = try SalesforceSandbox(
            setup: SalesforceSandboxSetup(orgs: [org]),
            options: .init(logger: logger)
        )
        let salesforceTask = Task { try await salesforce.run() }
        return CRMFixture(
            marketo: marketo,
            salesforce: salesforce,
            marketoURL: try await marketo.baseURL(),
            salesforceURL: try await salesforce.waitUntilRunning(),
            tasks: [marketoTask, salesforceTask]
        )
    }

    /// The configuration: tenant `acme`, events `summit-2026` (program 1001, the first campaign) and `webinar-7`
    /// (program 1002, the second campaign), `marketo` and `salesforce` lines appended to those sections.
    func config(
        marketo marketoLines: String = "",
        salesforce salesforceLines: String = "",
        events: String? = nil
    ) throws -> LeadSyncConfig {
        let events =
            events ?? """
                      summit-2026: { marketoProgramId: 1001, salesforceCampaignId: \(Self.campaign) }
                      webinar-7: { marketoProgramId: 1002, salesforceCampaignId: \(Self.otherCampaign) }
                """
        let text = """
            tenants:
              - tenant: acme
                destinations: [marketo, salesforce]
                events:
            \(events)
                marketo:
                  munchkinId: \(Self.munchkinId)
                  baseURL: \(marketoURL.absoluteString)
                  clientId: leadsync-client-id
                  clientSecret: { env: MARKETO_SECRET }
            \(marketoLines)
                salesforce:
                  loginURL: \(salesforceURL.absoluteString)
                  clientId: leadsync-sandbox-client
                  clientSecret: { env: SALESFORCE_SECRET }
            \(salesforceLines)
            """
        return try LeadSyncConfig.parse(
            text,
            fileName: "leadsync.yaml",
            source: SecretSource(
                environment: [
                    "MARKETO_SECRET": "leadsync-client-secret", "SALESFORCE_SECRET": "leadsync-sandbox-secret",
                ]
            )
        )
    }

    /// Runs the preflight of every tenant.
    func doctor(_ config: LeadSyncConfig) async -> PreflightReport {
        await Preflight.run(config: config, requestTimeout: .seconds(10), logger: Self.logger)
    }
}

extension PreflightReport {
    /// The items of the failed checks.
    var failedItems: [String] { failures.map(\.item) }

    /// The check of an item.
    func check(_ item: String) -> PreflightCheck? { checks.first { $0.item == item } }
}
