public import Config
public import Delivery
public import Foundation
import HTTPTransport
public import Kafka
public import LeadModel
public import Logging
import MarketoWriter
import SalesforceWriter

// MARK: - WriterRole

/// Assembles a writer role from the configuration: its sink (Marketo or Salesforce) and its delivery runtime, the
/// same way for `leadsync writer`, `leadsync run` and the embedded pipeline.
public enum WriterRole {
    /// A writer runtime for `destination`.
    /// - Parameters:
    ///   - directory: the role's state directory: the sink's lead caches live in `cache/` (the ledgers live in the
    ///     ledger topic, keyed by partition).
    ///   - groupId: the consumer group (default: `writers.<dest>.groupId`).
    ///   - topicPrefix: a prefix for every topic name.
    /// - Throws: the sink's configuration error, naming the tenant and the setting.
    public static func runtime(
        for destination: Destination,
        config: LeadSyncConfig,
        client: KafkaClientConfiguration,
        instanceId: String,
        directory: URL,
        groupId: String? = nil,
        topicPrefix: String = "",
        sessionTimeout: Duration = .seconds(10),
        logger: Logger
    ) throws -> DeliveryRuntime {
        let settings = destination == .marketo ? config.writers.marketo : config.writers.salesforce
        let cache = directory.appendingPathComponent("cache")
        let http = HTTPTransportSettings(
            connectTimeout: settings.connectTimeout,
            lowSpeedWindow: settings.lowSpeedWindow
        )
        let sink: any DeliverySink =
            destination == .marketo
            ? try MarketoSink(
                tenants: config.tenants,
                settings: settings,
                cacheDirectory: cache,
                logger: logger,
                options: MarketoSinkOptions(activitySettleDelay: settings.activitySettleDelay, http: http)
            )
            : try SalesforceSink(
                tenants: config.tenants,
                settings: settings,
                cacheDirectory: cache,
                logger: logger,
                options: SalesforceSinkOptions(quotaPark: settings.quotaPark, http: http)
            )
        var configuration = DeliveryConfiguration(
            client: client,
            groupId: groupId ?? settings.groupId,
            instanceId: instanceId,
            topics: .standard(for: destination, prefix: topicPrefix),
            linger: settings.linger,
            maxBatchCommands: settings.maxRecordsPerCall * 10,
            bulkThreshold: settings.bulkThreshold,
            bulkBatchCommands: max(settings.bulkThreshold * 4, settings.maxRecordsPerCall * 10),
            retry: RetrySchedule(
                maxAttempts: settings.retry.maxAttempts,
                initialBackoff: settings.retry.initialBackoff,
                maxBackoff: settings.retry.maxBackoff,
                maxAge: settings.retry.maxAge
            ),
            sessionTimeout: sessionTimeout
        )
        configuration.parkHoldLimit = settings.parkHoldLimit
        return DeliveryRuntime(configuration: configuration, sink: sink, logger: logger)
    }
}
