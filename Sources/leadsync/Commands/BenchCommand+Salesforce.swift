import ArgumentParser
import Basics
import Config
import Delivery
import Foundation
import LeadModel
import Logging
import SalesforceWriter
import SandboxSalesforce

/// `leadsync bench salesforce`: the Salesforce sink against the in-process sandbox over real HTTP, driven the way
/// the delivery runtime drives it.
struct BenchSalesforceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesforce",
        abstract: "Salesforce sink figures: records per call, calls per 1,000 transitions, lookups after a restart, "
            + "bulk vs collections.",
        discussion: """
            Starts the Salesforce sandbox in this process (production limits, sandbox clock at real time; Bulk API \
            2.0 jobs take the sandbox's fixed processing time, shorter than a real org's), one org per tenant. \
            Generates attendee journeys (Invited -> Registered -> Confirmed -> Attended -> Participated, each lead \
            stopping somewhere) with engagement snapshots and Marketo-only activities, hands them to the sink in \
            runtime-sized batches per tenant (coalesced by the runtime's own function, tenants in parallel, each \
            through its own CallLimiter; a steady stream with no backlog, so only a batch holding 2,000 rows of one \
            kind takes the bulk path), then restarts the sink on the same cache directory for a second wave. Finally \
            compares sObject Collections with Bulk API 2.0 for status updates of N members.
            """
    )

    @Option(help: "Leads per tenant.") var leads = 3_000
    @Option(help: "Tenants (one org each).") var tenants = 3
    @Option(help: "Commands per batch handed to the sink (the runtime's maxBatchCommands).") var batchSize = 3_000
    @Option(help: "Member counts for the bulk vs collections comparison, comma-separated.") var crossover =
        "500,2000,10000"
    @Option(help: "Seed of the generated journeys.") var seed: UInt64 = 7

    func run() async throws {
        try await runReportingErrors {
            let sizes = crossover.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard leads > 0, tenants > 0, batchSize > 0, sizes.allSatisfy({ $0 > 0 }) else {
                throw CommandFailure(message: "--leads, --tenants, --batch-size and --crossover must be positive")
            }
            let bench = try await SalesforceBench.start(tenants: tenants + 1)
            defer { bench.stop() }
            printLine(
                "salesforce bench: \(tenants) tenants x \(leads) leads, batches of \(batchSize), sandbox with "
                    + "production limits at time scale 1 (bulk jobs: \(SalesforceBench.bulkSeconds) s of processing)"
            )
            try await bench.sustained(tenants: tenants, leads: leads, batchSize: batchSize, seed: seed)
            try await bench.crossover(orgIndex: tenants, sizes: sizes)
        }
    }
}

// MARK: - SalesforceBench

/// The sandbox, the tenants and the figures of one benchmark run.
private final class SalesforceBench: Sendable {
    static let bulkSeconds = 2.0
    static let campaigns = [SalesforceSandboxSetup.standardCampaignId(0), SalesforceSandboxSetup.standardCampaignId(1)]
    let sandbox: SalesforceSandbox
    let baseURL: URL
    let task: Task<Void, any Error>
    let logger = makeLogger("leadsync.bench", level: .critical)

    private init(sandbox: SalesforceSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
    }

    static let fallbackLimits = CallLimits(callsPerWindow: 25, window: .seconds(1), concurrentCalls: 10)

    static func orgId(_ index: Int) -> String { SalesforceId.make(prefix: "00D", sequence: index + 1) }
    static func clientId(_ index: Int) -> String { "bench-client-\(index)" }

    /// Starts a sandbox with `orgs` orgs provisioned as docs/crm-setup.md says (`engagement_key__c` included).
    static func start(tenants orgs: Int) async throws -> SalesforceBench {
        let setup = SalesforceSandboxSetup(
            orgs: (0..<orgs).map { index in
                var org = SalesforceSandboxSetup.standard(
                    orgId: orgId(index),
                    clientId: clientId(index),
                    clientSecret: "bench-secret"
                ).orgs[0]
                org.limits.bulkProcessingSeconds = bulkSeconds
                return org
            }
        )
        let sandbox = try SalesforceSandbox(
            setup: setup,
            options: .init(logger: Logger(label: "bench.sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        )
        let task = Task { try await sandbox.run() }
        let url = try await sandbox.waitUntilRunning()
        return SalesforceBench(sandbox: sandbox, baseURL: url, task: task)
    }

    func stop() {
        task.cancel()
    }

    func tenant(_ index: Int) -> TenantSettings {
        let variable = "BENCH_SALESFORCE_SECRET"
        return TenantSettings(
            tenant: "tenant\(index)",
            destinations: [.salesforce],
            events: [:],
            salesforce: SalesforceTenantSettings(
                loginURL: baseURL,
                clientId: Self.clientId(index),
                authentication: .clientCredentials(
                    clientSecret: Secret(
                        reference: .environment(variable),
                        setting: "bench",
                        source: SecretSource(environment: [variable: "bench-secret"])
                    )
                )
            )
        )
    }

    func sink(_ tenants: [TenantSettings], cacheDirectory: URL, bulkThreshold: Int = 2_000) throws -> SalesforceSink {
        var settings = WriterSettings.defaults(for: .salesforce)
        settings.bulkThreshold = bulkThreshold
        // The crossover forces the bulk path (threshold 1) whatever the batch holds.
        let options = SalesforceSinkOptions(minimumBulkRows: bulkThreshold == 1 ? 1 : 1_201)
        return try SalesforceSink(
            tenants: tenants,
            settings: settings,
            cacheDirectory: cacheDirectory,
            logger: logger,
            options: options
        )
    }

    /// API calls of the orgs (token calls excluded).
    func apiCalls(orgs: Range<Int>) -> [SandboxCall] {
        orgs.flatMap { sandbox.calls(orgId: Self.orgId($0)) }.filter { $0.endpoint != "oauth.token" }
    }

    // MARK: Sustained load

    func sustained(tenants: Int, leads: Int, batchSize: Int, seed: UInt64) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = (0..<tenants).map(tenant)
        var random = SplitMix64(seed: seed)
        let waves = (0..<tenants).map { index in
            JourneyGenerator.commands(tenant: "tenant\(index)", leads: leads, random: &random)
        }
        let first = waves.map(\.first)
        let second = waves.map(\.second)

        let sink = try self.sink(settings, cacheDirectory: directory)
        let limiters = (0..<tenants).map {
            CallLimiter(limits: sink.limits(forTenant: "tenant\($0)") ?? SalesforceBench.fallbackLimits)
        }
        let start = ContinuousClock.now
        let firstResult = await Self.drive(sink, commands: first, limiters: limiters, batchSize: batchSize)
        let firstSeconds = (ContinuousClock.now - start).seconds
        let firstCounts = (0..<tenants).map { apiCalls(orgs: $0..<($0 + 1)).count }

        // Restart: a new sink on the same cache directory, new limiters.
        let restarted = try self.sink(settings, cacheDirectory: directory)
        let secondLimiters = (0..<tenants).map {
            CallLimiter(limits: restarted.limits(forTenant: "tenant\($0)") ?? SalesforceBench.fallbackLimits)
        }
        let secondStart = ContinuousClock.now
        let secondResult = await Self.drive(restarted, commands: second, limiters: secondLimiters, batchSize: batchSize)
        let secondSeconds = (ContinuousClock.now - secondStart).seconds
        let allCalls = apiCalls(orgs: 0..<tenants)
        let secondCalls = (0..<tenants).flatMap { apiCalls(orgs: $0..<($0 + 1)).dropFirst(firstCounts[$0]) }

        let transitions = firstResult.transitions + secondResult.transitions
        let sent = firstResult.statusCommands + secondResult.statusCommands
        let writes = allCalls.filter { $0.endpoint.hasPrefix("collections.") }
        let writeRecords = writes.map(\.records).reduce(0, +)
        let failed = firstResult.failed + secondResult.failed
        printLine(
            "commands: \(firstResult.commands + secondResult.commands) (\(transitions) status transitions, "
                + "\(sent) after the runtime's coalescing; "
                + "\(firstResult.engagements + secondResult.engagements) engagement snapshots after coalescing; "
                + "\(firstResult.skipped + secondResult.skipped) coalesced away or skipped as Marketo-only "
                + "activities), not delivered: \(failed)"
        )
        for endpoint in Set(allCalls.map(\.endpoint)).sorted() {
            let calls = allCalls.filter { $0.endpoint == endpoint }
            let records = calls.map(\.records).reduce(0, +)
            printLine(
                "  \(endpoint): \(calls.count) calls, \(records) records, "
                    + String(format: "%.1f", Double(records) / Double(max(1, calls.count))) + " records per call"
            )
        }
        printLine(
            "Salesforce records per call: "
                + String(format: "%.0f", Double(writeRecords) / Double(max(1, writes.count)))
                + " (sObject Collections writes, both passes)"
        )
        let upserts = writes.filter { $0.endpoint == "collections.upsert" }
        printLine(
            "  collections.upsert only: "
                + String(format: "%.1f", Double(upserts.map(\.records).reduce(0, +)) / Double(max(1, upserts.count)))
        )
        printLine(
            "API calls per 1,000 status transitions: "
                + String(format: "%.0f", Double(allCalls.count) * 1_000 / Double(max(1, transitions)))
                + " (every call of both passes, engagement and lookups included; "
                + String(format: "%.0f", Double(secondCalls.count) * 1_000 / Double(max(1, secondResult.transitions)))
                + " on the second pass)"
        )
        printLine("Lookups on second pass: \(secondCalls.filter { $0.endpoint.hasPrefix("query") }.count)")
        printLine(
            "sustained: first pass \(firstResult.records) records in " + String(format: "%.1f", firstSeconds)
                + " s = " + String(format: "%.0f", Double(firstResult.records) / firstSeconds)
                + " records/s; second pass \(secondResult.records) in " + String(format: "%.1f", secondSeconds)
                + " s = " + String(format: "%.0f", Double(secondResult.records) / secondSeconds) + " records/s"
        )
        let limits = sink.limits(forTenant: "tenant0") ?? SalesforceBench.fallbackLimits
        var peak = 0
        for org in 0..<tenants {
            let times = apiCalls(orgs: org..<(org + 1)).map(\.timestamp).sorted()
            for (index, start) in times.enumerated() {
                peak = max(peak, times[index...].prefix { $0.timeIntervalSince(start) < 1 }.count)
            }
        }
        printLine(
            "peak calls in one second for one org: \(peak) (configured: \(limits.callsPerWindow) per second, "
                + "\(limits.concurrentCalls) concurrent, per tenant at dailyRequestShare 1)"
        )
    }

    struct DriveResult {
        var commands = 0
        var transitions = 0
        var statusCommands = 0
        var engagements = 0
        var records = 0
        var skipped = 0
        var failed = 0
    }

    /// Every tenant's commands in runtime-sized batches (coalesced per batch by the runtime's `coalesce`), tenants in
    /// parallel; failed items retried as the next attempt, up to 10 passes.
    static func drive(
        _ sink: SalesforceSink,
        commands: [[Command]],
        limiters: [CallLimiter],
        batchSize: Int
    ) async -> DriveResult {
        await withTaskGroup(of: DriveResult.self) { group in
            for (index, tenantCommands) in commands.enumerated() {
                group.addTask {
                    var result = DriveResult()
                    for start in stride(from: 0, to: tenantCommands.count, by: batchSize) {
                        // A command's order is its position in the tenant's stream, as its command-topic offset.
                        let slice = Array(tenantCommands[start..<min(start + batchSize, tenantCommands.count)])
                        let batch = coalesce(
                            Array(zip(slice, start...)),
                            command: \.0,
                            order: { CommandOrder(partition: 0, offset: Int64($0.1)) }
                        ).kept.map(\.0)
                        result.commands += slice.count
                        result.skipped += slice.count - batch.count
                        result.transitions += slice.count { $0.kind == .memberStatus }
                        result.statusCommands += batch.count { $0.kind == .memberStatus }
                        result.engagements += batch.count { $0.kind == .engagementUpsert }
                        var pending = batch
                        var attempt = 1
                        while !pending.isEmpty, attempt <= 10 {
                            let outcomes = await sink.deliver(
                                DeliveryBatch(
                                    tenant: "tenant\(index)",
                                    items: pending.map { DeliveryItem(command: $0, attempt: attempt) },
                                    backlog: 0,
                                    limiter: limiters[index]
                                )
                            )
                            var next: [Command] = []
                            for (command, outcome) in zip(pending, outcomes) {
                                switch outcome {
                                case .delivered: result.records += 1
                                case .skipped: result.skipped += 1
                                case .failed(let failure) where failure.errorClass != .permanent: next.append(command)
                                case .failed: result.failed += 1
                                }
                            }
                            pending = next
                            attempt += 1
                        }
                        result.failed += pending.count
                    }
                    return result
                }
            }
            var total = DriveResult()
            for await result in group {
                total.commands += result.commands
                total.transitions += result.transitions
                total.statusCommands += result.statusCommands
                total.engagements += result.engagements
                total.records += result.records
                total.skipped += result.skipped
                total.failed += result.failed
            }
            return total
        }
    }

    // MARK: Bulk vs collections

    func crossover(orgIndex: Int, sizes: [Int]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = tenant(orgIndex)
        let name = settings.tenant
        printLine("bulk vs collections (status updates of N existing members; each call through the limiter):")
        for size in sizes {
            let emails = (0..<size).map { "crossover\(size)-\($0)@bench.example" }
            // Arrange: leads and members exist and are cached.
            let arrange = try sink([settings], cacheDirectory: directory)
            let arrangeLimiter = CallLimiter(limits: arrange.limits(forTenant: name) ?? SalesforceBench.fallbackLimits)
            for start in stride(from: 0, to: size, by: 2_000) {
                let commands = emails[start..<min(start + 2_000, size)].compactMap {
                    JourneyGenerator.status(name, $0, .registered, at: 0)
                }
                _ = await deliverAll(arrange, commands, arrangeLimiter)
            }
            for (path, threshold) in [("collections", Int.max), ("bulk", 1)] {
                let measured = try sink([settings], cacheDirectory: directory, bulkThreshold: threshold)
                let limiter = CallLimiter(limits: measured.limits(forTenant: name) ?? SalesforceBench.fallbackLimits)
                let status: ChannelStatus = path == "bulk" ? .confirmed : .attended
                let commands = emails.compactMap {
                    JourneyGenerator.status(name, $0, status, at: path == "bulk" ? 2 : 1)
                }
                let before = apiCalls(orgs: orgIndex..<(orgIndex + 1)).count
                let start = ContinuousClock.now
                let delivered = await deliverAll(measured, commands, limiter)
                let seconds = (ContinuousClock.now - start).seconds
                let calls = apiCalls(orgs: orgIndex..<(orgIndex + 1)).count - before
                printLine(
                    "  N=\(size) \(path): " + String(format: "%.2f", seconds) + " s, \(calls) calls, "
                        + "\(delivered)/\(size) delivered"
                )
            }
        }
    }

    /// One batch with all of them (the runtime hands large batches out when the backlog is large).
    private func deliverAll(_ sink: SalesforceSink, _ commands: [Command], _ limiter: CallLimiter) async -> Int {
        let outcomes = await sink.deliver(
            DeliveryBatch(
                tenant: commands.first?.tenant ?? "",
                items: commands.map { DeliveryItem(command: $0) },
                backlog: 0,
                limiter: limiter
            )
        )
        return outcomes.count { $0 == .delivered }
    }
}

// MARK: - Journeys

/// Attendee journeys as commands, in time order.
private enum JourneyGenerator {
    static let journey: [ChannelStatus] = [.invited, .registered, .confirmed, .attended, .participated]

    /// Two waves of commands for `leads` leads: the first holds the journey up to a random stop, engagement
    /// snapshots and activities; the second the remaining statuses and a last snapshot.
    static func commands(
        tenant: String,
        leads: Int,
        random: inout SplitMix64
    ) -> (first: [Command], second: [Command]) {
        var first: [(Int64, Command)] = []
        var second: [(Int64, Command)] = []
        for lead in 0..<leads {
            let email = "attendee\(lead)@\(tenant).example"
            let campaign = SalesforceBench.campaigns[lead % SalesforceBench.campaigns.count]
            let stop = 1 + Int(random.next() % UInt64(journey.count - 1))
            let base = Int64(random.next() % 3_600_000)
            for (step, status) in journey.enumerated() {
                let at = base + Int64(step) * 3_600_000
                guard let command = Self.status(tenant, email, status, at: at, campaign: campaign) else { continue }
                if step <= stop { first.append((at, command)) } else { second.append((at, command)) }
            }
            if stop >= 3 {
                for snapshot in 0..<3 {
                    let at = base + 3 * 3_600_000 + Int64(snapshot) * 60_000
                    if let command = engagement(
                        tenant,
                        email,
                        at: at,
                        campaign: campaign,
                        minutes: Double(snapshot * 7)
                    ) {
                        first.append((at, command))
                    }
                }
                if let activity = engagement(
                    tenant,
                    email,
                    at: base + 4 * 3_600_000,
                    campaign: campaign,
                    minutes: 14,
                    activity: true
                ) {
                    first.append((base + 4 * 3_600_000, activity))
                }
            }
            if let last = engagement(tenant, email, at: base + 6 * 3_600_000, campaign: campaign, minutes: 30) {
                second.append((base + 6 * 3_600_000, last))
            }
        }
        return (first.sorted { $0.0 < $1.0 }.map(\.1), second.sorted { $0.0 < $1.0 }.map(\.1))
    }

    static func status(
        _ tenant: String,
        _ email: String,
        _ status: ChannelStatus,
        at offset: Int64,
        campaign: String = SalesforceBench.campaigns[0]
    ) -> Command? {
        guard let leadKey = LeadKey(tenant: tenant, email: email) else { return nil }
        let source = "bench-\(email)-\(status.name)-\(offset)"
        return Command(
            commandId: CommandID.memberStatus(
                destination: .salesforce,
                leadKey: leadKey,
                virtualEventId: "ve",
                status: status,
                sourceEventId: source
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: leadKey,
            userId: nil,
            profile: LeadProfile(firstName: "Bench", lastName: "Attendee", company: "Bench Co"),
            virtualEventId: "ve",
            occurredAt: Timestamp(millisecondsSinceEpoch: 1_790_000_000_000 + offset),
            sourceEventId: source,
            payload: .memberStatus(MemberStatusChange(status: status))
        )
    }

    static func engagement(
        _ tenant: String,
        _ email: String,
        at offset: Int64,
        campaign: String,
        minutes: Double,
        activity: Bool = false
    ) -> Command? {
        guard let leadKey = LeadKey(tenant: tenant, email: email) else { return nil }
        var metrics = EngagementMetrics()
        metrics.liveMinutesViewed = minutes
        metrics.plays = Int(minutes / 7)
        let snapshot = EngagementSnapshot(
            entry: EngagementEntry(id: "1_keynote1", name: "Keynote"),
            channel: EngagementChannel(id: 7, name: "Main"),
            metrics: metrics,
            sessionEnded: false
        )
        let source = "bench-eng-\(email)-\(offset)"
        let occurredAt = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000 + offset)
        let kind: CommandKind = activity ? .engagementActivity : .engagementUpsert
        return Command(
            commandId: CommandID.engagement(
                kind: kind,
                destination: .salesforce,
                leadKey: leadKey,
                virtualEventId: "ve",
                entryId: "1_keynote1",
                snapshotOccurredAt: occurredAt,
                sourceEventId: source
            ),
            target: .salesforce(campaignId: campaign),
            leadKey: leadKey,
            userId: nil,
            profile: nil,
            virtualEventId: "ve",
            occurredAt: occurredAt,
            sourceEventId: source,
            payload: activity ? .engagementActivity(snapshot) : .engagementUpsert(snapshot)
        )
    }
}
