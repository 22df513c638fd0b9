public import Config
public import Delivery
public import Foundation
public import LeadModel
public import Logging

// MARK: - MarketoSink

/// The Marketo side of the Marketo writer: turns a batch of one tenant's commands into the fewest Marketo calls.
///
/// - Lead identity: email -> lead id by Sync Leads (createOrUpdate by email, the tenant's profile field mapping),
///   cached per subscription in a file under the cache directory, so a restart spends no calls on look-ups; a
///   changed profile is upserted again, an unchanged one never.
/// - Member status: Sync Program Member Status per program and status name, 300 leads a call; 1037 (already in
///   or past the status) is delivered.
/// - Engagement records: Sync Custom Objects (the tenant's custom object, default `kalturaUserSessionEngagement`),
///   one record per lead and entry.
/// - Engagement activities: Add Custom Activities (the tenant's activity type, default `userSessionEngagement`),
///   exactly once: an intent in the batch's effect ledger before each call and the outcome after it; an activity
///   of unknown outcome is read back from Marketo before anything is sent again (the command id in the type's
///   command id attribute, default `command_id`, makes that exact).
/// - Bulk: when a kind's commands plus the backlog reach ``WriterSettings/bulkThreshold``, program member statuses
///   and engagement records go by bulk import; failed rows come back as permanent failures.
///
/// Every call runs through the batch's ``CallLimiter``; a 607 parks it until midnight America/Chicago.
///
/// ```swift
/// let sink = try MarketoSink(tenants: config.tenants, settings: config.writers.marketo,
///                            cacheDirectory: URL(filePath: "/var/lib/leadsync"), logger: logger)
/// let outcomes = await sink.deliver(DeliveryBatch(tenant: "acme", items: items, backlog: 0, limiter: limiter))
/// ```
public final class MarketoSink: DeliverySink {
    /// Marketo.
    public let destination: Destination = .marketo
    /// The writer settings (records per call, bulk threshold).
    public let settings: WriterSettings
    /// The options.
    public let options: MarketoSinkOptions
    let connections: [String: MarketoTenantConnection]
    let cache: MarketoWriterCache
    let metrics = MarketoSinkMetrics()
    let logger: Logger

    /// Creates the sink for every tenant that delivers to Marketo.
    /// - Parameters:
    ///   - tenants: All tenants; those without Marketo among their destinations are ignored.
    ///   - settings: The Marketo writer's settings.
    ///   - cacheDirectory: Where the lead id and activity type cache lives; nil keeps it in memory (a restart
    ///     then resolves every lead again).
    ///   - logger: The logger.
    ///   - options: Timeouts, dead-connection detection, bulk polling and the settle delay of activities (the
    ///     defaults suit a real subscription).
    /// - Throws: ``MarketoSinkConfigurationError`` naming the tenant and the setting: a Marketo tenant without a
    ///   `marketo` section, an unreadable client secret, a call share outside (0, 1], or an unusable cache file.
    public init(
        tenants: [TenantSettings],
        settings: WriterSettings,
        cacheDirectory: URL?,
        logger: Logger,
        options: MarketoSinkOptions = MarketoSinkOptions()
    ) throws(MarketoSinkConfigurationError) {
        guard settings.maxRecordsPerCall > 0 else {
            throw MarketoSinkConfigurationError(
                tenant: nil,
                setting: "writers.marketo.maxRecordsPerCall",
                message: "\(settings.maxRecordsPerCall) is not a positive number of records"
            )
        }
        var connections: [String: MarketoTenantConnection] = [:]
        for tenant in tenants where tenant.destinations.contains(.marketo) {
            guard let marketo = tenant.marketo else {
                throw MarketoSinkConfigurationError(
                    tenant: tenant.tenant,
                    setting: "tenants.\(tenant.tenant).marketo",
                    message: "the tenant delivers to Marketo but has no marketo section (munchkinId, clientId, "
                        + "clientSecret)"
                )
            }
            guard connections[tenant.tenant] == nil else {
                throw MarketoSinkConfigurationError(
                    tenant: tenant.tenant,
                    setting: "tenants",
                    message: "the tenant is listed twice"
                )
            }
            connections[tenant.tenant] = try MarketoTenantConnection(
                tenant: tenant.tenant,
                settings: marketo,
                options: options,
                metrics: metrics,
                logger: logger
            )
        }
        do {
            cache = try MarketoWriterCache(directory: cacheDirectory)
        } catch {
            throw MarketoSinkConfigurationError(tenant: nil, setting: "cache directory", message: error.description)
        }
        self.connections = connections
        self.settings = settings
        self.options = options
        self.logger = logger
    }

    /// The tenant's share of its subscription's limits (`CallLimits.marketo(callShare:dailyCalls:)`), or nil for a
    /// tenant that does not deliver to Marketo.
    public func limits(forTenant tenant: String) -> CallLimits? {
        connections[tenant]?.limits
    }

    /// The tenant's munchkin id (tenants of one subscription share its daily quota); the tenant itself when unknown.
    public func subscription(ofTenant tenant: String) -> String {
        connections[tenant]?.munchkinId ?? tenant
    }

    /// The tenants this sink delivers for.
    public var tenants: [String] { connections.keys.sorted() }

    /// Writes the cache's pending changes to its file (the sink also does after every batch).
    /// - Throws: `PersistentMapError` when the file cannot be written.
    public func flush() throws(PersistentMapError) {
        try cache.flush()
    }
}
