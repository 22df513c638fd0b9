import Basics
import Config
import Embedded
import Foundation
import Kafka
import LeadModel
import Logging
import SandboxMarketo
import SandboxSalesforce
import Simulation
import Testing

/// The writers as an operator runs them (`leadsync writer marketo|salesforce` processes on a dev-cluster), killed
/// with SIGKILL at random instants while their calls are in flight, under dropped connections and 5xx at both CRMs:
/// afterwards every custom activity exists once, every member status and engagement record is the fold's, and the
/// only dead letters are the permanent errors injected on purpose.
@Suite("Writers killed with SIGKILL mid-call: no duplicate effects, nothing lost", .serialized)
struct WriterCrashTests {
    static let secrets = [
        "CRASH_MARKETO_SECRET": ScaleOutSandboxes.marketoSecret,
        "CRASH_SALESFORCE_SECRET": ScaleOutSandboxes.salesforceSecret,
    ]

    /// The development tenants on the test's sandboxes; the writers detect dead connections within 3 s and read an
    /// activity call of unknown outcome back 2 s after it was sent (the sandbox is done with a call by then).
    static func configurationText(marketoURL: URL, salesforceURL: URL) -> String {
        let writer = """
            { linger: 100ms, connectTimeout: 2s, lowSpeedWindow: 3s,
                  retry: { maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 2s, maxAge: 1h }
            """
        return """
            writers:
              marketo: \(writer), activitySettleDelay: 2s }
              salesforce: \(writer), quotaPark: 1m }
            observability:
              logLevel: info
            tenants:
              - tenant: acme
                destinations: [marketo, salesforce]
                participated: { enabled: false }
                events:
                  summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
                  webinar-7: { marketoProgramId: 1002, salesforceCampaignId: 701Dn0000000002IAA }
                marketo:
                  munchkinId: \(ScaleOutSandboxes.munchkinId)
                  baseURL: \(marketoURL.absoluteString)
                  clientId: leadsync-client-id
                  clientSecret: { env: CRASH_MARKETO_SECRET }
                  callShare: 0.5
                salesforce:
                  loginURL: \(salesforceURL.absoluteString)
                  clientId: leadsync-sandbox-client
                  clientSecret: { env: CRASH_SALESFORCE_SECRET }
                  apiVersion: v62.0
              - tenant: globex
                destinations: [marketo]
                participated: { enabled: false }
                events:
                  partner-day-2026: { marketoProgramId: 1003 }
                marketo:
                  munchkinId: \(ScaleOutSandboxes.munchkinId)
                  baseURL: \(marketoURL.absoluteString)
                  clientId: leadsync-client-id
                  clientSecret: { env: CRASH_MARKETO_SECRET }
                  callShare: 0.5
            """
    }

    /// One run's cluster, sandboxes, configuration and children; `finish` prints where the logs are on failure.
    final class Run {
        let work: URL
        let cluster: DevClusterProcess
        let crm: ScaleOutSandboxes
        let configFile: URL
        let config: LeadSyncConfig
        let environment: [String: String]
        let kafka: ScaleOutKafka
        let logger: Logger
        var writers: [WriterProcess] = []

        init(name: String) async throws {
            var logger = Logger(label: "writer-crash")
            logger.logLevel = .critical
            self.logger = logger
            work = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            cluster = try DevClusterProcess()
            crm = try await ScaleOutSandboxes.start()
            configFile = work.appendingPathComponent("leadsync.yaml")
            try WriterCrashTests.configurationText(marketoURL: crm.marketoURL, salesforceURL: crm.salesforceURL)
                .write(to: configFile, atomically: true, encoding: .utf8)
            config = try LeadSyncConfig.load(path: configFile.path, environment: WriterCrashTests.secrets)
            var environment = ProcessInfo.processInfo.environment
            environment["LEADSYNC_CONFIG"] = nil
            environment["LEADSYNC_LOG_LEVEL"] = nil
            environment.merge(WriterCrashTests.secrets) { _, new in new }
            self.environment = environment
            let client = KafkaClientConfiguration(bootstrapServers: [cluster.state.bootstrapServers], clientId: name)
            kafka = try ScaleOutKafka(
                client: client,
                partitions: 12,
                changelog: "leadsync.state.changelog",
                logger: logger
            )
        }

        var client: KafkaClientConfiguration { kafka.client }

        /// Starts `leadsync writer <destination>` with the arguments every restart repeats.
        func startWriter(_ destination: Destination) throws -> WriterProcess {
            let writer = try WriterProcess(
                name: "writer-\(destination.rawValue)",
                arguments: [
                    "writer", destination.rawValue, "--config", configFile.path, "--bootstrap-servers",
                    cluster.state.bootstrapServers, "--state-dir",
                    work.appendingPathComponent("state-\(destination.rawValue)").path,
                    "--metrics-address", "127.0.0.1:0", "--progress-interval", "0", "--session-timeout", "6",
                ],
                environment: environment,
                logDirectory: work
            )
            writers.append(writer)
            return writer
        }

        /// Produces commands to their command topics, keyed by lead (per-lead order kept).
        func produce(_ commands: [Command]) async throws {
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 5),
                logger: logger
            )
            let records = commands.map {
                OutgoingRecord(
                    topic: "\($0.destination.rawValue).commands",
                    key: Array($0.leadKey.rawValue.utf8),
                    value: CommandCodec.encode($0)
                )
            }
            let reports = try await producer.send(records)
            guard reports.allSatisfy(\.isDelivered) else { throw ScaleOutFailure("a command was not produced") }
        }

        /// Waits until both groups committed past every command and retry, twice in a row.
        func waitUntilDelivered(timeout: Duration) async throws {
            let deadline = ContinuousClock.now + timeout
            var stable = 0
            while stable < 2 {
                let marketo = try await kafka.uncommitted(
                    group: "leadsync-writer-marketo",
                    topics: ["marketo.commands", "marketo.commands.retry"]
                )
                let salesforce = try await kafka.uncommitted(
                    group: "leadsync-writer-salesforce",
                    topics: ["salesforce.commands", "salesforce.commands.retry"]
                )
                stable = marketo == 0 && salesforce == 0 ? stable + 1 : 0
                guard ContinuousClock.now < deadline else {
                    throw ScaleOutFailure(
                        "not delivered after \(timeout): Marketo \(marketo), Salesforce \(salesforce) uncommitted; "
                            + "logs in "
                            + work.path
                    )
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }

        func stop(passed: Bool) async {
            for writer in writers { _ = await writer.current.terminateGracefully(timeout: .seconds(20)) }
            crm.stop()
            cluster.stop()
            if passed {
                try? FileManager.default.removeItem(at: work)
            } else {
                print("writer crash logs: \(work.path)")
            }
        }
    }

    /// Commands that fail for good, produced beside the fold's (their dead letters are the only ones expected):
    /// Marketo member statuses in a program the subscription does not have, Salesforce members of a campaign the
    /// org does not have.
    static func poisonCommands() -> [Command] {
        (0..<3).flatMap { index -> [Command] in
            let email = "poison\(index)@example.com"
            guard let key = LeadKey(tenant: "acme", email: email) else { return [] }
            return [Destination.marketo, .salesforce].map { destination in
                Command(
                    commandId: CommandID.memberStatus(
                        destination: destination,
                        leadKey: key,
                        virtualEventId: "ghost-event",
                        status: .registered,
                        sourceEventId: "poison-\(index)"
                    ),
                    target: destination == .marketo
                        ? .marketo(programId: 4242) : .salesforce(campaignId: "701Dn0000000999IAA"),
                    leadKey: key,
                    userId: nil,
                    profile: LeadProfile(lastName: "Poison", company: "Acme"),
                    virtualEventId: "ghost-event",
                    occurredAt: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000),
                    sourceEventId: "poison-\(index)",
                    payload: .memberStatus(MemberStatusChange(status: .registered))
                )
            }
        }
    }

    @Test(
        "writers SIGKILLed 5 times mid-call, 5% drops and 5xx: activities once, CRMs equal the fold"
    )
    func killedWritersDuplicateNothing() async throws {
        let run = try await Run(name: "writer-crash")
        do {
            await run.stop(passed: try await killWriters(run))
        } catch {
            await run.stop(passed: false)
            throw error
        }
    }

    /// The body of ``killedWritersDuplicateNothing()``; returns whether it passed.
    private func killWriters(_ run: Run) async throws -> Bool {
        // The faults: 5% dropped connections (half of them after the call was carried out: the answer is lost),
        // 5% 5xx, and some latency so that calls are in flight when a writer is killed.
        for fault in [
            MarketoFault(rate: 0.025, dropConnection: true, seed: 31),
            MarketoFault(rate: 0.025, dropAfterProcessing: true, seed: 32),
            MarketoFault(rate: 0.05, httpStatus: 503, seed: 33),
            MarketoFault(rate: 0.5, latencyMs: 250, seed: 34),
        ] {
            _ = run.crm.marketo.addFault(fault)
        }
        for fault in [
            SandboxFault(kind: .drop, rate: 0.025, seed: 41),
            SandboxFault(kind: .drop, rate: 0.025, seed: 42, afterProcessing: true),
            SandboxFault(kind: .error, httpStatus: 503, rate: 0.05, seed: 43),
            SandboxFault(kind: .latency, rate: 0.5, latencyMilliseconds: 250, seed: 44),
        ] {
            _ = run.crm.salesforce.inject(fault)
        }

        let plan = SimulationPlan(
            leadCount: 600,
            eventsPerLead: 8,
            rates: SimulationRates(outOfOrder: 0.05, duplicate: 0.02),
            seed: 19
        )
        let workload = WriterWorkload(records: Array(plan.records()), tenants: run.config.tenantDirectory)
        let poison = Self.poisonCommands()
        let activityCommands = workload.commands.filter { $0.kind == .engagementActivity }
        #expect(activityCommands.count > 300, "the workload has activities to duplicate: \(activityCommands.count)")

        let marketoWriter = try run.startWriter(.marketo)
        let salesforceWriter = try run.startWriter(.salesforce)
        for writer in [marketoWriter, salesforceWriter] {
            try await writer.current.waitForLog("partitions assigned", timeout: .seconds(60))
        }
        // The commands arrive in eight waves of leads (each lead's commands in order, in one wave), one per round
        // of kills, so that every kill meets work in flight.
        let waveCount = 8
        var waves = [[Command]](repeating: [], count: waveCount)
        var waveOfLead: [String: Int] = [:]
        for command in workload.commands {
            let wave = waveOfLead[command.leadKey.rawValue] ?? (waveOfLead.count % waveCount)
            waveOfLead[command.leadKey.rawValue] = wave
            waves[wave].append(command)
        }
        waves[0] += poison

        // SIGKILLs at a random instant 0.3-2 s after the writer is past its start, once the CRM has calls of it in
        // flight; then the same command again. A writer is killed until 5 of its kills met a call in flight (at
        // most one kill per round, and a kill that met none does not count), so a slow machine makes the test
        // longer, never weaker.
        var random = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0..<1_000_000, using: &random)
        var generator = SplitMix64(seed: seed)
        var killsInFlight: [ObjectIdentifier: Int] = [:]
        for round in 1...waveCount {
            try await run.produce(waves[round - 1])
            for writer in [marketoWriter, salesforceWriter]
            where killsInFlight[ObjectIdentifier(writer), default: 0] < 5 {
                try await writer.current.waitForLog("ledgers loaded", timeout: .seconds(60))
                try await Task.sleep(for: .milliseconds(300 + Int(generator.next() % 1_700)))
                let inFlight = {
                    writer === marketoWriter
                        ? (run.crm.marketo.snapshot(ScaleOutSandboxes.munchkinId)?.inFlight ?? 0)
                        : run.crm.salesforce.requestsInFlight
                }
                let waitDeadline = ContinuousClock.now + .seconds(30)
                while inFlight() == 0 && ContinuousClock.now < waitDeadline {
                    try await Task.sleep(for: .milliseconds(2))
                }
                if inFlight() > 0 { killsInFlight[ObjectIdentifier(writer), default: 0] += 1 }
                try writer.killAndRestart()
            }
            print(
                "writer crash: round \(round) of kills done (seed \(seed)): \(killsInFlight.values.sorted()) mid-call"
            )
        }
        try await run.waitUntilDelivered(timeout: .seconds(240))

        // Every (lead, entry) activity exactly once; members and engagement records equal the fold's state.
        let consistency = PipelineConsistency.check(
            states: workload.states,
            tenants: run.config.tenants,
            marketo: run.crm.marketo,
            salesforce: run.crm.salesforce
        )
        #expect(consistency.marketoActivitiesDuplicated == 0, "\(consistency)")
        #expect(consistency.marketoActivitiesMissing == 0, "\(consistency)")
        #expect(consistency.isConsistent, "\(consistency)")
        let tenant = try #require(run.config.tenants.first)
        let records = EngagementRecordCheck.differences(
            workload,
            marketo: run.crm.marketo,
            munchkinId: ScaleOutSandboxes.munchkinId,
            salesforce: run.crm.salesforce,
            marketoObject: try #require(tenant.marketo).customObject,
            salesforceObject: try #require(tenant.salesforce).engagement
        )
        #expect(records.checked > 500)
        #expect(records.differences.isEmpty, "engagement records differ from the fold's: \(records.differences)")

        // The only dead letters are the injected permanent errors, each once.
        var deadLettered: [String] = []
        for topic in ["marketo.commands.dlq", "salesforce.commands.dlq"] {
            for record in try await run.kafka.readAll(topic) {
                deadLettered.append(try CommandCodec.decode(record.value).commandId.rawValue)
            }
        }
        #expect(
            deadLettered.sorted() == poison.map(\.commandId.rawValue).sorted(),
            "dead letters: \(deadLettered.count)"
        )

        // The run did what it claims: kills mid-call, faults fired, activities of unknown outcome read back.
        for writer in [marketoWriter, salesforceWriter] {
            let midCall = killsInFlight[ObjectIdentifier(writer), default: 0]
            #expect(midCall == 5, "\(writer.name): only \(midCall) of \(writer.starts - 1) kills met a call in flight")
        }
        let marketoCalls = run.crm.marketo.calls(munchkinId: ScaleOutSandboxes.munchkinId)
        let readBacks = marketoCalls.count { $0.endpoint == "/rest/v1/activities.json" }
        #expect(marketoCalls.contains { $0.endpoint == "/rest/v1/activities.json" }, "no activity was read back")
        #expect(run.crm.marketo.faults().allSatisfy { ($0.fired ?? 0) > 0 })
        #expect(run.crm.salesforce.faults().allSatisfy { $0.remaining == nil })
        let truncated = marketoCalls.filter {
            $0.method == "POST"
                && ($0.requestBytes == 0 || $0.declaredBytes != $0.requestBytes || $0.errorCode == "609")
        }
        #expect(truncated.isEmpty, "Marketo received \(truncated.count) empty or truncated bodies")
        print(
            "writer crash: \(workload.commands.count) commands (\(activityCommands.count) activities), seed \(seed), "
                + "\(killsInFlight.values.reduce(0, +)) kills mid-call; "
                + "\(consistency.marketoActivitiesFound) activities in Marketo, "
                + "\(readBacks) activity read-back calls"
        )
        return consistency.isConsistent && records.differences.isEmpty
    }

    @Test(
        "Marketo writer killed between activity call and outcome record: the restart reads back, adds none twice"
    )
    func killBetweenCallAndOutcome() async throws {
        let run = try await Run(name: "writer-crash-outcome")
        do {
            await run.stop(passed: try await killMidCall(run))
        } catch {
            await run.stop(passed: false)
            throw error
        }
    }

    /// The body of ``killBetweenCallAndOutcome()``; returns whether it passed.
    private func killMidCall(_ run: Run) async throws -> Bool {
        // Only activities, each with its lead: the activity call is held 4 s at the sandbox (the writer is killed
        // then; the sandbox carries the call out after that).
        let plan = SimulationPlan(leadCount: 40, eventsPerLead: 6, rates: SimulationRates(), seed: 23)
        let workload = WriterWorkload(records: Array(plan.records()), tenants: run.config.tenantDirectory)
        let activities = workload.commands.filter { $0.kind == .engagementActivity }
        try #require(activities.count >= 10)
        let hold = run.crm.marketo.addFault(
            MarketoFault(endpoint: "/rest/v1/activities/external.json", remaining: 1, latencyMs: 4_000)
        )

        let writer = try run.startWriter(.marketo)
        try await writer.current.waitForLog("partitions assigned", timeout: .seconds(60))
        try await run.produce(activities)
        let deadline = ContinuousClock.now + .seconds(60)
        while run.crm.marketo.faults().first(where: { $0.id == hold.id })?.fired ?? 0 == 0 {
            guard ContinuousClock.now < deadline else { throw ScaleOutFailure("no activity call was made") }
            try await Task.sleep(for: .milliseconds(5))
        }
        // The call is at the sandbox: its intent is in the ledger, its outcome never will be.
        try writer.killAndRestart()
        try await run.waitUntilDelivered(timeout: .seconds(120))

        let snapshot = try #require(run.crm.marketo.snapshot(ScaleOutSandboxes.munchkinId))
        var copies: [String: Int] = [:]
        for activity in snapshot.activities {
            copies["\(activity.leadId)/\(activity.primaryAttributeValue)", default: 0] += 1
        }
        #expect(
            snapshot.activities.count == activities.count,
            "\(snapshot.activities.count) stored for \(activities.count)"
        )
        #expect(copies.values.allSatisfy { $0 == 1 }, "an activity was added twice")
        let calls = run.crm.marketo.calls(munchkinId: ScaleOutSandboxes.munchkinId)
        let sent = calls.filter { $0.endpoint == "/rest/v1/activities/external.json" }.map(\.records).reduce(0, +)
        #expect(sent == activities.count, "each activity was sent once: \(sent) sent for \(activities.count)")
        #expect(calls.contains { $0.endpoint == "/rest/v1/activities.json" }, "the restart read them back")
        #expect(try await run.kafka.readAll("marketo.commands.dlq").isEmpty)
        let restartLog = writer.current.log
        #expect(!restartLog.contains("command dead-lettered"))
        return snapshot.activities.count == activities.count
    }
}
