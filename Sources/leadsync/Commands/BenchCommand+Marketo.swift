import ArgumentParser
import Basics
import Config
import Delivery
import Foundation
import LeadModel
import Logging
import MarketoWriter
import SandboxMarketo
import Synchronization

/// `leadsync bench marketo`: the Marketo writer's sink against the in-process Marketo sandbox with its real limits,
/// driven the way the delivery runtime drives it.
struct BenchMarketoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketo",
        abstract: "Marketo writer: records per call, calls per 1,000 status transitions, look-ups on a second pass.",
        discussion: """
            Starts the Marketo sandbox in this process with the documented limits (100 calls per 20 s and 10 \
            concurrent per subscription), optionally on a faster clock (--time-scale), and generates commands for \
            several tenants and programs in the order a fold emits them over an event's life (invitations, \
            registrations, confirmations, attendance with engagement, participation and session activities). Each \
            tenant's commands are delivered in runtime-sized batches through its call limiter, coalesced by the \
            runtime's own coalescing function, failed items re-queued as retries. A second pass with a new sink on \
            the same cache directory re-delivers every status command and counts lead look-ups. Figures come from \
            the sandbox's call log.
            """
    )

    @Option(help: "Leads per tenant.") var leads = 5_000
    @Option(help: "Tenants (the first two share one subscription, the others have their own).") var tenants = 3
    @Option(help: "Event programs per tenant.") var programs = 3
    @Option(help: "Each tenant's call share of its subscription.") var callShare = 0.5
    @Option(help: "Commands per batch (the runtime's maxBatchCommands).") var batchSize = 3_000
    @Option(help: "Commands per batch from a queue at the bulk threshold (the runtime's bulkBatchCommands).")
    var bulkBatchSize = 20_000
    @Option(help: "Sandbox clock factor: 0.1 makes the 20 s rate window last 2 s (limits scale with it).")
    var timeScale = 0.1
    @Option(help: "Bulk threshold (commands of one kind plus backlog); 0 keeps the writer default.") var bulkThreshold =
        0
    @Option(help: "Seed of the generated workload.") var seed: UInt64 = 42

    func run() async throws {
        try await runReportingErrors {
            guard leads > 0, tenants > 0, programs > 0, batchSize > 0, timeScale > 0, callShare > 0, callShare <= 1
            else {
                throw CommandFailure(message: "leads, tenants, programs, batch size and time scale must be positive")
            }
            try await measure()
        }
    }

    // MARK: - Setup

    private func munchkinId(ofTenant index: Int) -> String { "BENCH-\(max(0, index - 1))" }

    private func measure() async throws {
        let logger = makeLogger("leadsync.bench.marketo", level: .critical)
        let tenantNames = (0..<tenants).map { "tenant\($0)" }
        let munchkinIds = Array(Set((0..<tenants).map(munchkinId(ofTenant:)))).sorted()
        let programIds = (0..<programs).map { 2_001 + $0 }
        var limits = MarketoSandboxSetup.Limits()
        limits.dailyQuota = 10_000_000
        let sandbox = try MarketoSandbox(
            setup: MarketoSandboxSetup(
                subscriptions: munchkinIds.map { id in
                    MarketoSandboxSetup.Subscription(
                        munchkinId: id,
                        clientId: "\(id)-id",
                        clientSecret: "\(id)-secret",
                        programs: programIds.map { MarketoSandboxSetup.Program(id: $0, name: "Event \($0)") },
                        limits: limits
                    )
                }
            ),
            options: MarketoSandboxOptions(timeScale: timeScale, logger: logger, callLogLimit: 2_000_000)
        )
        let server = Task { try await sandbox.run() }
        defer { server.cancel() }
        let baseURL = try await sandbox.baseURL()
        let settings = tenantNames.enumerated().map { index, name in
            let munchkinId = munchkinId(ofTenant: index)
            let variable = "BENCH_SECRET_\(index)"
            return TenantSettings(
                tenant: name,
                destinations: [.marketo],
                events: [:],
                marketo: MarketoTenantSettings(
                    munchkinId: munchkinId,
                    baseURL: baseURL,
                    clientId: "\(munchkinId)-id",
                    clientSecret: Secret(
                        reference: .environment(variable),
                        setting: "tenants.\(name).marketo.clientSecret",
                        source: SecretSource(environment: [variable: "\(munchkinId)-secret"])
                    ),
                    callShare: callShare
                )
            )
        }
        var writer = WriterSettings.defaults(for: .marketo)
        if bulkThreshold > 0 { writer.bulkThreshold = bulkThreshold }
        // When each tenant's calls started, as the client saw them (the limiter's view; the sandbox counts arrivals).
        let callStarts = Mutex<[String: [Date]]>([:])
        let options = MarketoSinkOptions(
            bulkPollInterval: .milliseconds(Int64((5_000 * timeScale).rounded(.up))),
            bulkTimeout: .seconds(3_600 * timeScale),
            callObserver: { tenant, record in
                guard record.endpoint.name != "identity" else { return }
                let start = Date().addingTimeInterval(-record.duration.seconds)
                callStarts.withLock { $0[tenant, default: []].append(start) }
            }
        )
        let cacheDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leadsync-bench-marketo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cacheDirectory) }

        var generator = Workload(seed: seed)
        let streams = tenantNames.map { generator.stream(tenant: $0, leads: leads, programIds: programIds) }
        let commandCount = streams.reduce(0) { $0 + $1.count }
        let transitions = streams.reduce(0) { $0 + $1.count { $0.kind == .memberStatus } }
        let window = 20 * timeScale
        printLine(
            "Marketo writer benchmark: \(tenants) tenants on \(munchkinIds.count) subscriptions, "
                + "\(leads * tenants) leads, \(commandCount) commands (\(transitions) status transitions), "
                + "batches of \(batchSize) (\(bulkBatchSize) from a queue of \(writer.bulkThreshold), the bulk "
                + "threshold), call share \(callShare) per tenant"
        )
        printLine(
            "sandbox time scale \(timeScale): the 20 s rate window lasts \(window) s and bulk jobs run "
                + "\(timeScale)x as long; rate (100 calls/window) and concurrency (10) are the documented limits, the "
                + "daily quota is raised to 10M"
        )

        // First pass.
        let sink = try MarketoSink(
            tenants: settings,
            settings: writer,
            cacheDirectory: cacheDirectory,
            logger: logger,
            options: options
        )
        let started = ContinuousClock.now
        let firstPass = try await drive(sink: sink, streams: streams, tenantNames: tenantNames)
        let elapsed = ContinuousClock.now - started
        let firstCalls = sandbox.calls().filter { $0.munchkinId != nil && $0.endpoint != "/identity/oauth/token" }
        let firstStarts = callStarts.withLock { $0 }
        sandbox.clearCalls()

        // Second pass: a new sink on the same cache re-delivers every status command.
        let restarted = try MarketoSink(
            tenants: settings,
            settings: writer,
            cacheDirectory: cacheDirectory,
            logger: logger,
            options: options
        )
        let statusStreams = streams.map { $0.filter { $0.kind == .memberStatus } }
        let secondPass = try await drive(sink: restarted, streams: statusStreams, tenantNames: tenantNames)
        let secondCalls = sandbox.calls().filter { $0.munchkinId != nil && $0.endpoint != "/identity/oauth/token" }

        report(
            firstCalls: firstCalls,
            secondCalls: secondCalls,
            firstPass: firstPass,
            secondPass: secondPass,
            elapsed: elapsed,
            transitions: transitions,
            tenantNames: tenantNames,
            sink: sink,
            sandboxWindow: window,
            callStarts: firstStarts
        )
    }

    // MARK: - Driving

    /// What a pass delivered.
    private struct PassResult {
        var delivered = 0
        var skipped = 0
        var permanent = 0
        var retries = 0
        var coalesced = 0
    }

    /// Delivers every tenant's stream concurrently, each in batches through its own limiter, re-queuing failed
    /// items as the retry topic would, and coalescing each batch with the runtime's ``coalesce(_:command:order:)``.
    private func drive(sink: MarketoSink, streams: [[Command]], tenantNames: [String]) async throws -> PassResult {
        try await withThrowingTaskGroup(of: PassResult.self) { group in
            for (tenant, stream) in zip(tenantNames, streams) {
                guard let limits = sink.limits(forTenant: tenant) else {
                    throw CommandFailure(message: "the sink does not know tenant \(tenant)")
                }
                let limiter = CallLimiter(limits: Self.scaled(limits, by: timeScale))
                // One effect ledger per tenant for the whole pass, as the runtime's would be.
                let ledger = EffectLedger.inMemory()
                group.addTask { [batchSize, bulkBatchSize, bulkThreshold = sink.settings.bulkThreshold] in
                    var result = PassResult()
                    // Each command's order is its position in the stream, as its offset on the command topic
                    // would be; a retry keeps it, as a retried command keeps its first offset.
                    var queue = stream.enumerated().map { index, command in
                        QueuedItem(
                            item: DeliveryItem(command: command),
                            order: CommandOrder(partition: 0, offset: Int64(index))
                        )
                    }[...]
                    while !queue.isEmpty {
                        let size = queue.count >= bulkThreshold ? bulkBatchSize : batchSize
                        let taken = Array(queue.prefix(size))
                        queue = queue.dropFirst(taken.count)
                        let coalesced = coalesce(taken, command: \.item.command, order: \.order)
                        result.coalesced += coalesced.superseded.count
                        let outcomes = await sink.deliver(
                            DeliveryBatch(
                                tenant: tenant,
                                items: coalesced.kept.map(\.item),
                                backlog: queue.count,
                                limiter: limiter,
                                ledger: ledger
                            )
                        )
                        var retries: [QueuedItem] = []
                        for (queued, outcome) in zip(coalesced.kept, outcomes) {
                            switch outcome {
                            case .delivered: result.delivered += 1
                            case .skipped: result.skipped += 1
                            case .failed(let failure) where failure.errorClass == .permanent: result.permanent += 1
                            case .failed:
                                let item = queued.item
                                retries.append(
                                    QueuedItem(
                                        item: DeliveryItem(command: item.command, attempt: item.attempt + 1),
                                        order: queued.order
                                    )
                                )
                            }
                        }
                        result.retries += retries.count
                        queue = ArraySlice(retries + queue)
                    }
                    return result
                }
            }
            var total = PassResult()
            for try await result in group {
                total.delivered += result.delivered
                total.skipped += result.skipped
                total.permanent += result.permanent
                total.retries += result.retries
                total.coalesced += result.coalesced
            }
            return total
        }
    }

    /// A command waiting in a tenant's queue, with its order for ``coalesce(_:command:order:)``.
    private struct QueuedItem {
        var item: DeliveryItem
        var order: CommandOrder
    }

    /// Limits on the sandbox's clock.
    private static func scaled(_ limits: CallLimits, by scale: Double) -> CallLimits {
        CallLimits(
            callsPerWindow: limits.callsPerWindow,
            window: .milliseconds(Int64((Double(limits.window.components.seconds) * 1_000 * scale).rounded())),
            concurrentCalls: limits.concurrentCalls,
            dailyCalls: limits.dailyCalls
        )
    }

    // MARK: - Figures

    /// The most instants within any rolling window.
    private static func peak(of instants: [Date], window: Double) -> Int {
        let times = instants.sorted()
        var peak = 0
        var start = 0
        for end in times.indices {
            while times[end].timeIntervalSince(times[start]) >= window { start += 1 }
            peak = max(peak, end - start + 1)
        }
        return peak
    }

    private func report(
        firstCalls: [SandboxCall],
        secondCalls: [SandboxCall],
        firstPass: PassResult,
        secondPass: PassResult,
        elapsed: Duration,
        transitions: Int,
        tenantNames: [String],
        sink: MarketoSink,
        sandboxWindow: Double,
        callStarts: [String: [Date]]
    ) {
        let counted = firstCalls.filter(\.counted)
        printLine(
            "first pass: \(firstPass.delivered) delivered, \(firstPass.skipped) skipped, "
                + "\(firstPass.permanent) dead-lettered, \(firstPass.retries) retried, \(firstPass.coalesced) coalesced"
        )
        func padded(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        printLine(padded("endpoint", 62) + "   calls   records  records/call")
        var byEndpoint: [String: (calls: Int, records: Int)] = [:]
        for call in counted {
            byEndpoint[call.endpoint, default: (0, 0)].calls += 1
            byEndpoint[call.endpoint, default: (0, 0)].records += call.records
        }
        for (endpoint, figures) in byEndpoint.sorted(by: { $0.value.calls > $1.value.calls }) {
            let perCall = Double(figures.records) / Double(max(1, figures.calls))
            printLine(padded(endpoint, 62) + String(format: " %7d %9d %13.1f", figures.calls, figures.records, perCall))
        }
        let records = counted.reduce(0) { $0 + $1.records }
        let recordsPerCall = Double(records) / Double(max(1, counted.count))
        let statusCalls = counted.count {
            $0.endpoint.hasSuffix("/members/status.json") || $0.endpoint.contains("/program/")
        }
        let leadCalls = counted.count { $0.endpoint == "/rest/v1/leads.json" }
        let seconds = elapsed.seconds

        // Peak calls in any rolling window, per subscription, against what the tenants' shares allow.
        var peaks: [String] = []
        var overShare = false
        for munchkinId in Set(counted.compactMap(\.munchkinId)).sorted() {
            let peak = Self.peak(of: counted.filter { $0.munchkinId == munchkinId }.map(\.at), window: sandboxWindow)
            let allowed = tenantNames.filter { sink.subscription(ofTenant: $0) == munchkinId }
                .compactMap { sink.limits(forTenant: $0)?.callsPerWindow }.reduce(0, +)
            if peak > allowed { overShare = true }
            peaks.append("\(munchkinId) \(peak) of \(allowed) allowed")
        }
        printLine(
            "peak calls per 20 s window by arrival at the sandbox: " + peaks.joined(separator: ", ")
                + (overShare ? " (OVER the share)" : "")
        )
        let limitAnswers = firstCalls.count { $0.errorCode == "606" || $0.errorCode == "615" }
        printLine("rate or concurrency limit answers (606/615) from the sandbox: \(limitAnswers)")
        var startPeaks: [String] = []
        for tenant in tenantNames {
            let peak = Self.peak(of: callStarts[tenant] ?? [], window: sandboxWindow)
            startPeaks.append("\(tenant) \(peak) of \(sink.limits(forTenant: tenant)?.callsPerWindow ?? 0)")
        }
        printLine(
            "peak calls per 20 s window by call start, per tenant: " + startPeaks.joined(separator: ", ")
        )
        printLine(
            String(
                format: "sustained: %.0f records/s, %.0f commands/s over %.1f s wall clock (%.0f s of sandbox time)",
                Double(records) / seconds,
                Double(firstPass.delivered + firstPass.skipped + firstPass.permanent + firstPass.coalesced) / seconds,
                seconds,
                seconds / timeScale
            )
        )
        printLine(
            String(
                format: "API calls per 1,000 status transitions: %.1f (status calls; %.1f with every lead upsert)",
                Double(statusCalls) * 1_000 / Double(max(1, transitions)),
                Double(statusCalls + leadCalls) * 1_000 / Double(max(1, transitions))
            )
        )
        let rest = counted.filter { !$0.endpoint.hasPrefix("/bulk/") && !$0.endpoint.contains("/describe.json") }
        let restRecords = rest.reduce(0) { $0 + $1.records }
        printLine(
            String(
                format: "REST write calls alone: %.0f records per call (%d calls); bulk imports: %d calls",
                Double(restRecords) / Double(max(1, rest.count)),
                rest.count,
                counted.count { $0.endpoint.hasPrefix("/bulk/") }
            )
        )
        printLine(String(format: "Marketo records per call: %.0f", recordsPerCall))
        let secondLookups = secondCalls.count { $0.endpoint == "/rest/v1/leads.json" }
        printLine(
            "second pass (new sink, same cache, \(secondPass.delivered + secondPass.skipped) status commands): "
                + "\(secondCalls.count) calls"
        )
        printLine("Lookups on second pass: \(secondLookups)")
    }
}

// MARK: - Workload

extension BenchMarketoCommand {
    /// Commands in the order a fold emits them over an event's life, for one tenant.
    struct Workload {
        private var random: SplitMix64

        init(seed: UInt64) {
            random = SplitMix64(seed: seed)
        }

        private mutating func next() -> UInt64 {
            random.next()
        }

        private mutating func chance(_ probability: Double) -> Bool {
            Double(next() % 1_000_000) / 1_000_000 < probability
        }

        private mutating func shuffled<T>(_ values: [T]) -> [T] {
            var values = values
            for index in values.indices.reversed() where index > 0 {
                values.swapAt(index, Int(next() % UInt64(index + 1)))
            }
            return values
        }

        /// Phases: invitations (30%), registrations (90%), confirmations (60%), attendance (50%) with engagement
        /// snapshots (1-3 entries, 1-3 updates each), participation (70% of attendees) and one activity per
        /// (lead, entry) when the session settles. Within a phase leads come in random order.
        mutating func stream(tenant: String, leads: Int, programIds: [Int]) -> [Command] {
            var phases = [[Command]](repeating: [], count: 6)
            var clock: Int64 = 1_795_000_000_000
            for lead in 0..<leads {
                guard let key = LeadKey(tenant: tenant, email: "lead\(lead)@\(tenant).example.com") else { continue }
                let program = programIds[Int(next() % UInt64(programIds.count))]
                let profile = LeadProfile(
                    firstName: "First\(lead)",
                    lastName: "Last\(lead)",
                    company: "Company \(lead % 97)",
                    title: lead % 3 == 0 ? "Engineer" : nil,
                    country: "US"
                )
                clock += 1
                if chance(0.3) { phases[0].append(status(key, program, .invited, profile, clock)) }
                guard chance(0.9) else { continue }
                phases[1].append(status(key, program, .registered, profile, clock + 1))
                if chance(0.6) {
                    phases[2].append(
                        status(key, program, chance(0.5) ? .confirmed : .autoConfirmed, profile, clock + 2)
                    )
                }
                guard chance(0.55) else { continue }
                phases[3].append(status(key, program, .attended, profile, clock + 3))
                let entries = 1 + Int(next() % 3)
                var participated = false
                for entry in 0..<entries {
                    let updates = 1 + Int(next() % 3)
                    var plays = 0
                    var minutes = 0.0
                    for update in 0..<updates {
                        plays += 1
                        minutes += Double(next() % 300) / 10
                        phases[3].append(
                            engagement(
                                .engagementUpsert,
                                key,
                                program,
                                entry,
                                plays,
                                minutes,
                                clock + 4 + Int64(update)
                            )
                        )
                    }
                    participated = participated || minutes > 0
                    phases[5].append(engagement(.engagementActivity, key, program, entry, plays, minutes, clock + 10))
                }
                if participated, chance(0.7) {
                    phases[4].append(status(key, program, .participated, profile, clock + 9))
                }
            }
            return phases.flatMap { shuffled($0) }
        }

        private func status(
            _ key: LeadKey,
            _ program: Int,
            _ status: ChannelStatus,
            _ profile: LeadProfile,
            _ at: Int64
        ) -> Command {
            let source = "e-\(key.email)-\(status.name)"
            return Command(
                commandId: CommandID.memberStatus(
                    destination: .marketo,
                    leadKey: key,
                    virtualEventId: "ve\(program)",
                    status: status,
                    sourceEventId: source
                ),
                target: .marketo(programId: program),
                leadKey: key,
                userId: nil,
                profile: profile,
                virtualEventId: "ve\(program)",
                occurredAt: Timestamp(millisecondsSinceEpoch: at),
                sourceEventId: source,
                payload: .memberStatus(MemberStatusChange(status: status))
            )
        }

        private func engagement(
            _ kind: CommandKind,
            _ key: LeadKey,
            _ program: Int,
            _ entry: Int,
            _ plays: Int,
            _ minutes: Double,
            _ at: Int64
        ) -> Command {
            var metrics = EngagementMetrics()
            metrics.plays = plays
            metrics.liveMinutesViewed = minutes
            let snapshot = EngagementSnapshot(
                entry: EngagementEntry(id: "1_entry\(entry)", name: "Session \(entry)"),
                channel: EngagementChannel(id: Int64(program), name: "Stage \(program)"),
                metrics: metrics,
                sessionEnded: kind == .engagementActivity
            )
            let source = "g-\(key.email)-\(entry)-\(at)"
            let occurredAt = Timestamp(millisecondsSinceEpoch: at)
            return Command(
                commandId: CommandID.engagement(
                    kind: kind,
                    destination: .marketo,
                    leadKey: key,
                    virtualEventId: "ve\(program)",
                    entryId: snapshot.entry.id,
                    snapshotOccurredAt: occurredAt,
                    sourceEventId: source
                ),
                target: .marketo(programId: program),
                leadKey: key,
                userId: "u-\(key.email)",
                profile: nil,
                virtualEventId: "ve\(program)",
                occurredAt: occurredAt,
                sourceEventId: source,
                payload: kind == .engagementActivity ? .engagementActivity(snapshot) : .engagementUpsert(snapshot)
            )
        }
    }
}
