import Config
import Delivery
import Foundation
import Logging
import Salesforce
import Synchronization

// MARK: - SalesforceTenant

/// Everything the sink keeps for one tenant: its org settings and API names, its API client (created on first
/// use; it re-reads the secret from its reference when Salesforce refuses it), its call limits, its share of the
/// org's daily allocation, its identity cache and the member status labels of its campaigns.
final class SalesforceTenant: Sendable {
    /// The tenant id.
    let tenant: String
    /// The org settings.
    let settings: SalesforceTenantSettings
    /// The org the tenant's calls count against (see ``SalesforceSink/subscription(ofTenant:)``).
    let subscription: String
    /// The tenant's call limits.
    let limits: CallLimits
    /// Email -> person and known members, persisted.
    let cache: SalesforceIdentityCache
    /// The tenant's share of the org's rolling 24-hour allocation.
    let budget: SalesforceRequestBudget
    /// Field names and pacing.
    let options: SalesforceSinkOptions
    let metrics: SalesforceWriterMetrics
    let logger: Logger
    private let currentClient = Mutex<SalesforceClient?>(nil)
    /// Campaign id -> its member status labels, read at most once per ``SalesforceSinkOptions/memberStatusLifetime``.
    let statusLabels = Mutex<[String: SalesforceCampaignStatusLabels]>([:])

    /// Sets a tenant up and checks that its secret can be read.
    /// - Throws: ``SalesforceSinkConfigurationError`` naming the tenant and the problem.
    init(
        tenant: String,
        settings: SalesforceTenantSettings,
        options: SalesforceSinkOptions,
        cacheDirectory: URL?,
        metrics: SalesforceWriterMetrics,
        logger: Logger
    ) throws(SalesforceSinkConfigurationError) {
        guard settings.dailyRequestShare > 0, settings.dailyRequestShare <= 1 else {
            throw SalesforceSinkConfigurationError(
                tenant: tenant,
                problem: "salesforce.dailyRequestShare is \(settings.dailyRequestShare); it must be in (0, 1]"
            )
        }
        guard !settings.clientId.isEmpty else {
            throw SalesforceSinkConfigurationError(tenant: tenant, problem: "salesforce.clientId is empty")
        }
        self.tenant = tenant
        self.settings = settings
        self.options = options
        self.metrics = metrics
        self.logger = logger
        self.subscription = Self.subscription(of: settings)
        self.limits = Self.limits(share: settings.dailyRequestShare)
        self.budget = SalesforceRequestBudget(share: settings.dailyRequestShare)
        do {
            self.cache = try SalesforceIdentityCache(tenant: tenant, directory: cacheDirectory)
        } catch {
            throw SalesforceSinkConfigurationError(tenant: tenant, problem: "\(error)")
        }
        do {
            _ = try settings.credentials()
        } catch {
            throw SalesforceSinkConfigurationError(tenant: tenant, problem: "\(error)")
        }
    }

    /// The CampaignMember External ID field and status labels.
    var memberNames: SalesforceCampaignMemberNames { settings.campaignMember }
    /// The engagement object, its External ID and field names.
    var engagementNames: SalesforceEngagementNames { settings.engagement }

    /// Salesforce has no per-window rate limit, only the rolling daily allocation and 25 concurrent long-running
    /// (20 s or more) requests per org (5 in Developer Edition). LeadSync paces itself anyway, so that a backlog
    /// does not burn the day's allocation in minutes or starve the org's other integrations:
    /// - 25 calls per second times the tenant's share (at least 2): 5,000 records/s per org at 200 per call;
    /// - 10 concurrent calls times the share (at least 1): under load a call may become long-running, and 10
    ///   leaves 15 of the org's 25 long-running slots to everyone else;
    /// - no daily budget of our own in the limiter: the share of the allocation is enforced from
    ///   `Sforce-Limit-Info` by ``SalesforceRequestBudget``, which parks the limiter.
    static func limits(share: Double) -> CallLimits {
        CallLimits(
            callsPerWindow: max(2, Int((25 * share).rounded())),
            window: .seconds(1),
            concurrentCalls: max(1, min(25, Int((10 * share).rounded()))),
            dailyCalls: nil
        )
    }

    /// The org as far as the settings show it: the login host and the connected app. Tenants of one org that use
    /// one connected app share it (and park together); every org has its own My Domain, so different orgs never
    /// share one. Tenants of one org with different connected apps are not grouped (each still parks on the
    /// org's own `REQUEST_LIMIT_EXCEEDED`).
    static func subscription(of settings: SalesforceTenantSettings) -> String {
        let host = (settings.instanceURL ?? settings.loginURL).absoluteString.lowercased()
        var trimmed = Substring(host)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return "salesforce:\(trimmed)#\(settings.clientId)"
    }

    /// The tenant's client, created on first use; it re-reads the credentials when Salesforce refuses them.
    /// - Throws: An `authentication` failure when the secret cannot be read.
    func client() throws(DeliveryFailure) -> SalesforceClient {
        if let client = currentClient.withLock({ $0 }) { return client }
        let credentials: SalesforceCredentials
        do {
            credentials = try settings.credentials()
        } catch {
            throw DeliveryFailure(
                errorClass: .authentication,
                code: "secret_unavailable",
                message: "tenant \(tenant): cannot read the Salesforce secret: \(error)"
            )
        }
        let tenant = self.tenant
        let settings = self.settings
        let metrics = self.metrics
        let configuration = SalesforceClientConfiguration(
            loginURL: settings.loginURL,
            apiVersion: settings.apiVersion,
            credentials: credentials,
            requestTimeout: options.requestTimeout,
            logger: logger,
            http: options.http,
            reloadCredentials: {
                metrics.secretReread(tenant: tenant)
                return try settings.credentials()
            }
        )
        let budget = self.budget
        let created = SalesforceClient(configuration: configuration) { record in
            if record.endpoint != .token, record.httpStatus != nil { budget.recordCall() }
            let result: String
            if let code = record.errorCode {
                result = code
            } else if let status = record.httpStatus, !(200...299).contains(status), status != 300 {
                result = "http_\(status)"
            } else {
                result = record.httpStatus == nil ? "transport" : "ok"
            }
            metrics.apiCall(
                tenant: tenant,
                endpoint: record.endpoint.name,
                result: result,
                records: record.recordCount,
                duration: record.duration
            )
        }
        return currentClient.withLock { current in
            if let current { return current }
            current = created
            return created
        }
    }
}
