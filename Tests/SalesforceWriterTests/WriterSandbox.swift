import Config
import Foundation
import Logging
import Salesforce
import SalesforceWriter
import SandboxSalesforce
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running Salesforce sandbox with two orgs (first: `leadsync-sandbox-client`; second: `second-client`), each
/// provisioned as docs/crm-setup.md says plus the engagement External ID `engagement_key__c`, and the tenants and
/// sinks that talk to it over real HTTP.
final class WriterSandbox: Sendable {
    let sandbox: SalesforceSandbox
    let baseURL: URL
    private let task: Task<Void, any Error>

    static let campaign = SalesforceSandboxSetup.standardCampaignId(0)
    static let otherCampaign = SalesforceSandboxSetup.standardCampaignId(1)
    static let secondOrgId = SalesforceId.make(prefix: "00D", sequence: 2)
    static let logger = Logger(label: "test.salesforce-writer", factory: { _ in SwiftLogNoOpLogHandler() })

    static func leadId(_ n: Int) -> String { SalesforceId.make(prefix: "00Q", sequence: n) }
    static func contactId(_ n: Int) -> String { SalesforceId.make(prefix: "003", sequence: n) }

    private init(sandbox: SalesforceSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
    }

    deinit {
        task.cancel()
    }

    /// Starts a sandbox. Org 1 holds Jane (lead 1), two Leads sharing `john.roe@example.com` (2, 3), a Lead
    /// converted into Contact 1 (`converted@example.com`, lead 4) and Contact 2 without a Lead
    /// (`customer@example.com`); org 2 holds nothing.
    static func start(
        dailyApiRequests: [Int] = [1_000_000, 1_000_000],
        bulkProcessingSeconds: Double = 0.3,
        timeScale: Double = 1
    ) async throws -> WriterSandbox {
        var first = SalesforceSandboxSetup.standard(
            leads: [
                .init(
                    id: leadId(1),
                    firstName: "Jane",
                    lastName: "Doe",
                    company: "Acme",
                    email: "jane.doe@example.com"
                ),
                .init(id: leadId(2), lastName: "Roe", company: "Acme", email: "John.Roe@Example.com"),
                .init(id: leadId(3), lastName: "Roe", company: "Other", email: "john.roe@example.com"),
                .init(
                    id: leadId(4),
                    lastName: "Converted",
                    company: "Acme",
                    email: "converted@example.com",
                    convertedContactId: contactId(1)
                ),
            ],
            contacts: [
                .init(id: contactId(1), lastName: "Converted", email: "converted@example.com"),
                .init(id: contactId(2), lastName: "Customer", email: "customer@example.com"),
            ]
        ).orgs[0]
        var second = SalesforceSandboxSetup.standard(
            orgId: secondOrgId,
            clientId: "second-client",
            clientSecret: "second-secret"
        ).orgs[0]
        for (index, org) in [first, second].enumerated() {
            var org = org
            org.limits.dailyApiRequests = dailyApiRequests[index]
            org.limits.bulkProcessingSeconds = bulkProcessingSeconds
            if index == 0 { first = org } else { second = org }
        }
        let sandbox = try SalesforceSandbox(
            setup: SalesforceSandboxSetup(orgs: [first, second]),
            options: .init(
                timeScale: timeScale,
                logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        let task = Task { try await sandbox.run() }
        let url = try await sandbox.waitUntilRunning()
        return WriterSandbox(sandbox: sandbox, baseURL: url, task: task)
    }

    /// A tenant delivering to org 1 (`second: false`) or org 2, with its secret read from a (test) environment.
    func tenant(
        _ name: String,
        secondOrg: Bool = false,
        share: Double = 1,
        secret: String? = nil
    ) -> TenantSettings {
        let clientId = secondOrg ? "second-client" : "leadsync-sandbox-client"
        let value = secret ?? (secondOrg ? "second-secret" : "leadsync-sandbox-secret")
        let variable = "SF_SECRET_\(name.uppercased())"
        return TenantSettings(
            tenant: name,
            destinations: [.salesforce],
            events: [:],
            salesforce: SalesforceTenantSettings(
                loginURL: baseURL,
                clientId: clientId,
                authentication: .clientCredentials(
                    clientSecret: Secret(
                        reference: .environment(variable),
                        setting: "tenants.\(name).salesforce.clientSecret",
                        source: SecretSource(environment: [variable: value])
                    )
                ),
                dailyRequestShare: share
            )
        )
    }

    /// The API calls of an org (token calls excluded), oldest first.
    func apiCalls(secondOrg: Bool = false) -> [SandboxCall] {
        sandbox.calls(orgId: secondOrg ? Self.secondOrgId : nil).filter { $0.endpoint != "oauth.token" }
    }

    /// The org's CampaignMembers by External ID.
    func members(secondOrg: Bool = false) -> [String: SandboxRecord] {
        var byKey: [String: SandboxRecord] = [:]
        for member in sandbox.campaignMembers(orgId: secondOrg ? Self.secondOrgId : nil) {
            if let key = member["external_id__c"].string { byKey[key] = member }
        }
        return byKey
    }

    /// The org's Leads with this email.
    func leads(email: String, secondOrg: Bool = false) -> [SandboxRecord] {
        sandbox.records("Lead", orgId: secondOrg ? Self.secondOrgId : nil).filter {
            $0["Email"].string?.lowercased() == email
        }
    }

    /// Deletes a record of org 1 as a person in Salesforce would (`DELETE /sobjects/{type}/{id}`).
    func delete(_ type: String, id: String) async throws {
        var tokenRequest = URLRequest(url: baseURL.appendingPathComponent("services/oauth2/token"))
        tokenRequest.httpMethod = "POST"
        tokenRequest.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        tokenRequest.httpBody = Data(
            "grant_type=client_credentials&client_id=leadsync-sandbox-client&client_secret=leadsync-sandbox-secret".utf8
        )
        let (tokenBody, _) = try await URLSession.shared.data(for: tokenRequest)
        let token = try #require(
            (try JSONSerialization.jsonObject(with: tokenBody) as? [String: Any])?["access_token"] as? String
        )
        var request = URLRequest(url: baseURL.appendingPathComponent("services/data/v62.0/sobjects/\(type)/\(id)"))
        request.httpMethod = "DELETE"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 204)
    }

    /// A client of the module under test's dependency, for arranging data the way another tool would.
    func client(secondOrg: Bool = false) -> SalesforceClient {
        SalesforceClient(
            configuration: SalesforceClientConfiguration(
                loginURL: baseURL,
                credentials: secondOrg
                    ? .clientCredentials(clientId: "second-client", clientSecret: "second-secret")
                    : .clientCredentials(clientId: "leadsync-sandbox-client", clientSecret: "leadsync-sandbox-secret"),
                logger: Self.logger
            )
        )
    }
}
