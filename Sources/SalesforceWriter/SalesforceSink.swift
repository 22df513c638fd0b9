public import Config
public import Delivery
public import Foundation
public import LeadModel
public import Logging

// MARK: - SalesforceSink

/// The Salesforce writer's sink: turns one tenant's batch of commands into the fewest Salesforce calls.
///
/// - Lead identity: an email is resolved from the tenant's persistent cache, else by batched
///   `SELECT … FROM Lead WHERE Email IN (…)` queries (a converted Lead stands for its Contact), else by creating
///   the Lead (profile fields through `fieldMapping`, `leadDefaults` for required fields), 200 per call.
/// - Member statuses: CampaignMember upserts by the tenant's External ID (default `external_id__c`) =
///   `{campaignId}_{personId}`, 200 per call; `CampaignId` and `LeadId`/`ContactId` only on create, `Status`
///   (the tenant's label for the status) always; existing members switch to updates.
/// - Engagement: upserts of the tenant's engagement object (default `UserSessionEngagement__c`) by its External
///   ID (default `engagement_key__c`), one row per key in a request.
/// - Bulk API 2.0 for a kind when the batch plus the backlog reach `bulkThreshold`.
/// - `engagementActivity` commands (Marketo-only) are skipped.
///
/// Every call goes through the batch's `CallLimiter`; each tenant's share of its org's rolling daily
/// allocation (`dailyRequestShare`) is tracked from `Sforce-Limit-Info` and parks the limiter when spent.
public final class SalesforceSink: DeliverySink {
    /// Salesforce.
    public let destination: Destination = .salesforce
    /// The writer's settings (records per call, bulk threshold).
    public let settings: WriterSettings
    /// Field names and pacing.
    public let options: SalesforceSinkOptions
    let tenants: [String: SalesforceTenant]
    let logger: Logger
    let metrics = SalesforceWriterMetrics()

    /// Creates the sink.
    /// - Parameters:
    ///   - tenants: Every tenant; those without Salesforce among their destinations are ignored.
    ///   - settings: The Salesforce writer's settings.
    ///   - cacheDirectory: Where the identity caches live (`salesforce-<tenant>.cache`); nil keeps them in memory.
    ///   - logger: The logger.
    ///   - options: Field names and pacing.
    /// - Throws: ``SalesforceSinkConfigurationError`` naming the tenant whose settings are unusable.
    public init(
        tenants: [TenantSettings],
        settings: WriterSettings,
        cacheDirectory: URL?,
        logger: Logger,
        options: SalesforceSinkOptions = SalesforceSinkOptions()
    ) throws(SalesforceSinkConfigurationError) {
        guard settings.maxRecordsPerCall >= 1 else {
            throw SalesforceSinkConfigurationError(
                tenant: nil,
                problem: "writers.salesforce.maxRecordsPerCall must be at least 1"
            )
        }
        self.settings = settings
        self.options = options
        self.logger = logger
        var byTenant: [String: SalesforceTenant] = [:]
        for tenant in tenants where tenant.destinations.contains(.salesforce) {
            guard let salesforce = tenant.salesforce else {
                throw SalesforceSinkConfigurationError(
                    tenant: tenant.tenant,
                    problem: "Salesforce is a destination but the tenant has no salesforce section (loginURL, "
                        + "clientId, authentication)"
                )
            }
            guard byTenant[tenant.tenant] == nil else {
                throw SalesforceSinkConfigurationError(tenant: tenant.tenant, problem: "the tenant is listed twice")
            }
            byTenant[tenant.tenant] = try SalesforceTenant(
                tenant: tenant.tenant,
                settings: salesforce,
                options: options,
                cacheDirectory: cacheDirectory,
                metrics: metrics,
                logger: logger
            )
        }
        self.tenants = byTenant
    }

    /// The tenant's limits (see ``SalesforceTenant/limits(share:)``): 25 calls per second and 10 concurrent
    /// calls, both times `dailyRequestShare`; no daily budget in the limiter (the sink enforces the share of the
    /// org's allocation from `Sforce-Limit-Info`).
    public func limits(forTenant tenant: String) -> CallLimits? {
        tenants[tenant]?.limits
    }

    /// `salesforce:<login or instance URL>#<client id>`: tenants of one org using one connected app.
    public func subscription(ofTenant tenant: String) -> String {
        tenants[tenant]?.subscription ?? "salesforce:unknown#\(tenant)"
    }

    /// Delivers one tenant's batch; one outcome per item, in order.
    public func deliver(_ batch: DeliveryBatch) async -> [DeliveryOutcome] {
        guard let tenant = tenants[batch.tenant] else {
            return batch.items.map { _ in
                .failed(
                    DeliveryFailure(
                        errorClass: .permanent,
                        code: "unknown_tenant",
                        message: "tenant \(batch.tenant) has no Salesforce settings in this writer's configuration"
                    )
                )
            }
        }
        var delivery = SalesforceBatchDelivery(tenant: tenant, batch: batch, settings: settings)
        return await delivery.run()
    }

    /// Writes every tenant's identity cache to its file (done after every batch too).
    /// - Throws: `PersistentMapError` for the first file that cannot be written.
    public func flushCaches() throws(PersistentMapError) {
        for tenant in tenants.values { try tenant.cache.flush() }
    }

    /// Requests a tenant made in the last 24 hours, as counted by this process.
    public func requestsInWindow(ofTenant tenant: String) -> Int {
        tenants[tenant]?.budget.callsInWindow() ?? 0
    }
}
