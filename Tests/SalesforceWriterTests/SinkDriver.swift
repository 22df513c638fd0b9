import Config
import Delivery
import Foundation
import LeadModel
import SalesforceWriter

/// Builds sinks and batches the way the runtime does.
enum SinkDriver {
    /// Options with fast bulk polling and short request timeouts.
    static let options = SalesforceSinkOptions(requestTimeout: .seconds(10), bulkPollInterval: .milliseconds(100))

    /// A sink for some tenants.
    static func sink(
        _ tenants: [TenantSettings],
        cacheDirectory: URL? = nil,
        bulkThreshold: Int = 2_000,
        options: SalesforceSinkOptions = SinkDriver.options
    ) throws -> SalesforceSink {
        var settings = WriterSettings.defaults(for: .salesforce)
        settings.bulkThreshold = bulkThreshold
        return try SalesforceSink(
            tenants: tenants,
            settings: settings,
            cacheDirectory: cacheDirectory,
            logger: WriterSandbox.logger,
            options: options
        )
    }

    /// A limiter with the sink's limits for the tenant.
    static func limiter(_ sink: SalesforceSink, _ tenant: String) -> CallLimiter {
        CallLimiter(
            limits: sink.limits(forTenant: tenant)
                ?? CallLimits(callsPerWindow: 25, window: .seconds(1), concurrentCalls: 10)
        )
    }

    /// A fresh directory for a sink's cache.
    static func cacheDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("salesforce-writer-tests-\(UUID().uuidString)")
    }

    /// One delivery of one batch.
    static func deliver(
        _ sink: SalesforceSink,
        _ tenant: String,
        _ commands: [Command],
        limiter: CallLimiter,
        backlog: Int = 0
    ) async -> [DeliveryOutcome] {
        await sink.deliver(
            DeliveryBatch(
                tenant: tenant,
                items: commands.map { DeliveryItem(command: $0) },
                backlog: backlog,
                limiter: limiter
            )
        )
    }

    /// Delivers as the runtime would: the commands in batches, then the failed ones again as the next attempt,
    /// until every one is done or `rounds` passes were made. Permanent failures are final; transient, rate,
    /// authentication and quota failures are retried.
    /// - Returns: The final outcome of every command, in order, and how many passes it took.
    static func deliverUntilDone(
        _ sink: SalesforceSink,
        _ tenant: String,
        _ commands: [Command],
        limiter: CallLimiter,
        batchSize: Int = 1_000,
        backlog: Int = 0,
        rounds: Int = 20
    ) async -> (outcomes: [DeliveryOutcome], rounds: Int) {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        var round = 0
        while !pending.isEmpty, round < rounds {
            round += 1
            var next: [Int] = []
            for start in stride(from: 0, to: pending.count, by: batchSize) {
                let slice = Array(pending[start..<min(start + batchSize, pending.count)])
                let items = slice.map { DeliveryItem(command: commands[$0], attempt: round) }
                let results = await sink.deliver(
                    DeliveryBatch(tenant: tenant, items: items, backlog: backlog, limiter: limiter)
                )
                for (index, result) in zip(slice, results) {
                    outcomes[index] = result
                    if case .failed(let failure) = result, failure.errorClass != .permanent { next.append(index) }
                }
            }
            pending = next
        }
        return (outcomes.map { $0 ?? .skipped(reason: "never delivered") }, round)
    }
}

extension DeliveryOutcome {
    /// The failure, if any.
    var failure: DeliveryFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}
