import Config
import Delivery
import Foundation
import LeadModel
import Logging
import Marketo
import MarketoWriter
import SandboxMarketo
import Testing

/// One Marketo sandbox on an ephemeral loopback port, shared by a suite; each test uses its own subscription (its
/// own munchkin id, tenant and emails), so tests do not see each other's calls or data.
final class SinkHarness: Sendable {
    let sandbox: MarketoSandbox
    let baseURL: URL

    private init(sandbox: MarketoSandbox, baseURL: URL) {
        self.sandbox = sandbox
        self.baseURL = baseURL
    }

    /// Starts a sandbox holding the given subscriptions.
    static func start(_ subscriptions: [MarketoSandboxSetup.Subscription]) async throws -> SinkHarness {
        let sandbox = try MarketoSandbox(
            setup: MarketoSandboxSetup(subscriptions: subscriptions),
            options: MarketoSandboxOptions(
                logger: Logger(label: "test.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        Task { try await sandbox.run() }
        return SinkHarness(sandbox: sandbox, baseURL: try await sandbox.baseURL())
    }

    /// docs/crm-setup.md's provisioning (the activity type has a `command_id` attribute) and fast bulk imports.
    static func subscription(
        _ munchkinId: String,
        limits: MarketoSandboxSetup.Limits = .init(),
        channels: [MarketoSandboxSetup.Channel] = [.event],
        activityTypes: [MarketoSandboxSetup.ActivityType]? = nil,
        customObjects: [MarketoSandboxSetup.CustomObject] = [.kalturaUserSessionEngagement]
    ) -> MarketoSandboxSetup.Subscription {
        let type = MarketoSandboxSetup.ActivityType.userSessionEngagement
        var limits = limits
        limits.bulkImportSeconds = 0.2
        return MarketoSandboxSetup.Subscription(
            munchkinId: munchkinId,
            clientId: "\(munchkinId)-id",
            clientSecret: "\(munchkinId)-secret",
            channels: channels,
            activityTypes: activityTypes ?? [type],
            customObjects: customObjects,
            limits: limits,
            concurrentUpsertsMayDuplicate: true
        )
    }

    /// A tenant that delivers to one subscription of this sandbox.
    func tenant(
        _ tenant: String,
        munchkinId: String,
        callShare: Double = 1,
        fieldMapping: [ProfileField: String] = MarketoTenantSettings.defaultFieldMapping
    ) -> TenantSettings {
        let variable = "SECRET_\(munchkinId)"
        return TenantSettings(
            tenant: tenant,
            destinations: [.marketo],
            events: [:],
            marketo: MarketoTenantSettings(
                munchkinId: munchkinId,
                baseURL: baseURL,
                clientId: "\(munchkinId)-id",
                clientSecret: Secret(
                    reference: .environment(variable),
                    setting: "tenants.\(tenant).marketo.clientSecret",
                    source: SecretSource(environment: [variable: "\(munchkinId)-secret"])
                ),
                callShare: callShare,
                fieldMapping: fieldMapping
            )
        )
    }

    /// The subscription's stored state.
    func snapshot(_ munchkinId: String) throws -> MarketoSubscriptionSnapshot {
        try #require(sandbox.snapshot(munchkinId))
    }

    /// The calls the sandbox answered for a subscription, identity calls excluded.
    func apiCalls(_ munchkinId: String) -> [SandboxCall] {
        sandbox.calls(munchkinId: munchkinId).filter { $0.endpoint != "/identity/oauth/token" }
    }

    /// Lead look-up calls (Sync Leads and Get Leads) of a subscription.
    func lookupCalls(_ munchkinId: String) -> Int {
        apiCalls(munchkinId).count { $0.endpoint == "/rest/v1/leads.json" }
    }
}

/// Builds sinks and batches the way the runtime does.
enum SinkDriver {
    static let logger = Logger(label: "test.marketo-writer", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Options with fast bulk polling, and activities of unknown outcome read back after 300 ms (the sandbox is done
    /// with a call when it answers or drops it).
    static let options = MarketoSinkOptions(
        requestTimeout: .seconds(10),
        bulkPollInterval: .milliseconds(50),
        activitySettleDelay: .milliseconds(300)
    )

    /// A sink for some tenants.
    static func sink(
        _ tenants: [TenantSettings],
        cacheDirectory: URL? = nil,
        maxRecordsPerCall: Int = 300,
        bulkThreshold: Int = 3_000,
        options: MarketoSinkOptions = SinkDriver.options
    ) throws -> MarketoSink {
        var settings = WriterSettings.defaults(for: .marketo)
        settings.maxRecordsPerCall = maxRecordsPerCall
        settings.bulkThreshold = bulkThreshold
        return try MarketoSink(
            tenants: tenants,
            settings: settings,
            cacheDirectory: cacheDirectory,
            logger: logger,
            options: options
        )
    }

    /// A fresh directory for a sink's cache.
    static func cacheDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("marketo-writer-tests-\(UUID().uuidString)")
    }

    /// Delivers commands as the runtime would: one batch, then the failed items again as the next attempt (not
    /// before the time a failure names, up to 2 s), until every item is done or `rounds` deliveries were made;
    /// failures that are permanent (or quota) are not retried. The effect ledger is the runtime's: shared by every
    /// round, and by several calls when given.
    /// - Returns: The final outcome of every command, in order, and how many deliveries it took.
    static func deliverUntilDone(
        _ sink: MarketoSink,
        tenant: String,
        commands: [Command],
        limiter: CallLimiter,
        backlog: Int = 0,
        rounds: Int = 30,
        ledger: EffectLedger = .inMemory()
    ) async -> (outcomes: [DeliveryOutcome], rounds: Int) {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: commands.count)
        var pending = Array(commands.indices)
        var attempt = 1
        var round = 0
        while !pending.isEmpty, round < rounds {
            round += 1
            let items = pending.map { DeliveryItem(command: commands[$0], attempt: attempt) }
            let results = await sink.deliver(
                DeliveryBatch(tenant: tenant, items: items, backlog: backlog, limiter: limiter, ledger: ledger)
            )
            var next: [Int] = []
            var notBefore = Date()
            for (index, result) in zip(pending, results) {
                outcomes[index] = result
                if case .failed(let failure) = result, failure.errorClass != .permanent,
                    failure.errorClass != .quotaExhausted
                {
                    next.append(index)
                    if let resumeAt = failure.resumeAt, resumeAt > notBefore { notBefore = resumeAt }
                }
            }
            let wait = min(notBefore.timeIntervalSinceNow, 2)
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            pending = next
            attempt += 1
        }
        return (
            outcomes.map { $0 ?? .failed(DeliveryFailure(errorClass: .transient, code: "none", message: "")) }, round
        )
    }
}
