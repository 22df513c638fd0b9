import Config
import Embedded
import Fold
import Foundation
import Kafka
import LeadModel
import Logging
import Simulation
import Testing
import Topics

/// Horizontal scaling without Kubernetes (issue 7): on one `leadsync dev-cluster`, fold processes go 1 -> 3 -> 2 and
/// two Marketo writers share their group while `leadsync simulate` is still producing; the end state is the
/// single-process one.
///
/// The single-process baseline is the reference fold (the domain folding the same simulated records in stream
/// order, no Kafka): a single fold process must emit exactly its commands too, so comparing the scaled run with
/// it is comparing with a single-process run, without running the pipeline twice.
@Suite("Scale-out: 1 -> 3 -> 2 fold processes and 2 writers in one group on one cluster", .serialized)
struct ScaleOutTests {
    static let inputs = ["attendee.events", "engagement.events", "leadsync.repartition"]
    static let foldTopics = inputs + ["leadsync.state.changelog", "leadsync.events.dlq"]
    static let commandTopics = ["marketo.commands", "salesforce.commands"]
    static let writerTopics = [
        "marketo.commands", "marketo.commands.retry", "marketo.commands.dlq",
        "salesforce.commands", "salesforce.commands.retry", "salesforce.commands.dlq",
    ]

    /// The simulation, spelled once for `leadsync simulate` and for the in-test plan that must equal it.
    static let leads = 2_000
    static let eventsPerLead = 8
    static let seed: UInt64 = 7
    static let rates = SimulationRates(
        outOfOrder: 0.05,
        duplicate: 0.02,
        poison: 0.01,
        nonCanonicalKey: 0.05,
        emailVariation: 0.1
    )

    /// config/dev.yaml's tenants, pointed at the test's sandboxes, secrets from the children's environment;
    /// Participated derived (the default) and a one-day settle window (custom activities are sent when a session
    /// ends, not by the wall clock).
    static func configurationText(marketoURL: URL, salesforceURL: URL) -> String {
        """
        fold:
          commitInterval: 100ms
        writers:
          marketo: { linger: 100ms, retry: { initialBackoff: 200ms, maxBackoff: 2s } }
          salesforce: { linger: 100ms, retry: { initialBackoff: 200ms, maxBackoff: 2s } }
        observability:
          logLevel: info
        tenants:
          - tenant: acme
            destinations: [marketo, salesforce]
            settleWindow: 24h
            events:
              summit-2026: { marketoProgramId: 1001, salesforceCampaignId: 701Dn0000000001IAA }
              webinar-7: { marketoProgramId: 1002, salesforceCampaignId: 701Dn0000000002IAA }
            marketo:
              munchkinId: \(ScaleOutSandboxes.munchkinId)
              baseURL: \(marketoURL.absoluteString)
              clientId: leadsync-client-id
              clientSecret: { env: SCALE_OUT_MARKETO_SECRET }
              callShare: 0.5
              fieldMapping:
                custom.industry: industry
            salesforce:
              loginURL: \(salesforceURL.absoluteString)
              clientId: leadsync-sandbox-client
              clientSecret: { env: SCALE_OUT_SALESFORCE_SECRET }
              apiVersion: v62.0
          - tenant: globex
            destinations: [marketo]
            settleWindow: 24h
            events:
              partner-day-2026: { marketoProgramId: 1003 }
            marketo:
              munchkinId: \(ScaleOutSandboxes.munchkinId)
              baseURL: \(marketoURL.absoluteString)
              clientId: leadsync-client-id
              clientSecret: { env: SCALE_OUT_MARKETO_SECRET }
              callShare: 0.5
        """
    }

    static let secrets = [
        "SCALE_OUT_MARKETO_SECRET": ScaleOutSandboxes.marketoSecret,
        "SCALE_OUT_SALESFORCE_SECRET": ScaleOutSandboxes.salesforceSecret,
    ]

    /// While simulate runs, folds go 1 -> 3 -> 2 and two Marketo writers share a group: the reference fold's commands
    /// once each, the CRMs equal to the fold's committed state, poison dead-lettered once, no writer dead letters.
    @Test("folds 1 -> 3 -> 2 and two writers in a group while simulate runs: the single-process end state")
    func scaleOutMatchesSingleProcess() async throws {
        var logger = Logger(label: "scale-out")
        logger.logLevel = .critical
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("scale-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var children: [RoleProcess] = []
        var passed = false
        defer {
            for child in children { child.killIfRunning() }
            if passed {
                try? FileManager.default.removeItem(at: work)
            } else {
                print("scale-out logs: \(children.map(\.logPath).joined(separator: " "))")
            }
        }

        // One cluster for every process, with the topics of topics/, all co-partitioned.
        let cluster = try DevClusterProcess()
        defer { cluster.stop() }
        let bootstrap = cluster.state.bootstrapServers
        let client = KafkaClientConfiguration(bootstrapServers: [bootstrap], clientId: "scale-out-test")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let descriptions = try await admin.describeTopics(Self.foldTopics + Self.writerTopics)
        let partitionCounts = Set(descriptions.map(\.partitionCount))
        try #require(descriptions.count == Self.foldTopics.count + Self.writerTopics.count, "every topic exists")
        try #require(partitionCounts.count == 1, "inputs, repartition, changelog and commands co-partitioned")
        let partitions = try #require(partitionCounts.first)
        #expect(partitions >= 3, "room for three fold processes")

        let crm = try await ScaleOutSandboxes.start()
        defer { crm.stop() }
        let configFile = work.appendingPathComponent("leadsync.yaml")
        try Self.configurationText(marketoURL: crm.marketoURL, salesforceURL: crm.salesforceURL)
            .write(to: configFile, atomically: true, encoding: .utf8)
        let config = try LeadSyncConfig.load(path: configFile.path, environment: Self.secrets)
        var environment = ProcessInfo.processInfo.environment
        environment["LEADSYNC_CONFIG"] = nil
        environment["LEADSYNC_LOG_LEVEL"] = nil
        environment.merge(Self.secrets) { _, new in new }

        let kafka = try ScaleOutKafka(
            client: client,
            partitions: partitions,
            changelog: "leadsync.state.changelog",
            logger: logger
        )
        func start(_ name: String, _ arguments: [String]) throws -> RoleProcess {
            let child = try RoleProcess(
                name: name,
                arguments: arguments,
                environment: environment,
                logDirectory: work
            )
            children.append(child)
            return child
        }
        func role(_ arguments: [String], instance: String) -> [String] {
            arguments + [
                "--config", configFile.path, "--bootstrap-servers", bootstrap, "--instance-id", instance,
                "--state-dir", work.appendingPathComponent("state-\(instance)").path,
                "--metrics-address", "127.0.0.1:0",
            ]
        }
        func fold(_ instance: String) throws -> RoleProcess {
            try start(
                instance,
                role(["fold"], instance: instance) + ["--session-timeout", "6", "--snapshot-interval", "5"]
            )
        }

        // Writers first (two Marketo writers in one group, one Salesforce writer), so their group settles before
        // the first command arrives.
        let writers = [
            try start(
                "writer-marketo-1",
                role(["writer", "marketo"], instance: "marketo-1") + ["--progress-interval", "0"]
            ),
            try start(
                "writer-marketo-2",
                role(["writer", "marketo"], instance: "marketo-2") + ["--progress-interval", "0"]
            ),
            try start(
                "writer-salesforce-1",
                role(["writer", "salesforce"], instance: "salesforce-1") + ["--progress-interval", "0"]
            ),
        ]

        for writer in writers { try await writer.waitForLog("partitions assigned", timeout: .seconds(60)) }

        // The input (the same plan as the simulate process below) arrives over about half a minute, in small batches.
        let plan = SimulationPlan(
            leadCount: Self.leads,
            eventsPerLead: Self.eventsPerLead,
            rates: Self.rates,
            seed: Self.seed
        )
        try plan.validate()
        let records = Array(plan.records())

        // 1 fold process, ready before the input starts; when it has folded something, 3.
        let fold1 = try fold("fold-1")
        try await fold1.waitForLog("partitions assigned", timeout: .seconds(60))
        let simulate = try start(
            "simulate",
            [
                "simulate", "--bootstrap-servers", bootstrap, "--leads", "\(Self.leads)",
                "--events-per-lead", "\(Self.eventsPerLead)", "--seed", "\(Self.seed)",
                "--out-of-order-rate", "\(Self.rates.outOfOrder)", "--duplicate-rate", "\(Self.rates.duplicate)",
                "--poison-rate", "\(Self.rates.poison)", "--non-canonical-key-rate", "\(Self.rates.nonCanonicalKey)",
                "--email-variation-rate", "\(Self.rates.emailVariation)", "--rate", "600", "--batch-size", "300",
            ]
        )
        let foldDeadline = ContinuousClock.now + .seconds(60)
        while try await kafka.total("marketo.commands") == 0 {
            guard ContinuousClock.now < foldDeadline, fold1.isRunning else {
                throw ScaleOutFailure("fold-1 folded nothing; see \(fold1.logPath) and \(simulate.logPath)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let fold2 = try fold("fold-2")
        let fold3 = try fold("fold-3")
        for child in [fold2, fold3] { try await child.waitForLog("partitions assigned", timeout: .seconds(60)) }
        let producedAtThree = try await Self.produced(kafka)
        #expect(producedAtThree < Int64(records.count), "three folds ran while simulate was still producing")

        // Later (a few thousand records on), 2: one of the three leaves on SIGTERM, its partitions move to the
        // other two.
        let growthDeadline = ContinuousClock.now + .seconds(60)
        while try await Self.produced(kafka) < producedAtThree + 3_000, simulate.isRunning,
            ContinuousClock.now < growthDeadline
        {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await fold2.terminateGracefully() == 0, "fold-2 leaves cleanly on SIGTERM; see \(fold2.logPath)")
        let producedAtTwo = try await Self.produced(kafka)
        #expect(producedAtTwo < Int64(records.count), "the scale-in happened while simulate was still producing")

        #expect(
            try await simulate.waitForExit(timeout: .seconds(120)) == 0,
            "simulate succeeds; see \(simulate.logPath)"
        )
        #expect(try await Self.produced(kafka) == Int64(records.count), "simulate produced the in-test plan's records")

        // Done when the folds' checkpoints cover every input and the writer groups committed past every command
        // and retry (the mock stores no transactional offset commits: the fold's progress is its checkpoints),
        // twice in a row with the command topics no longer growing.
        let finishDeadline = ContinuousClock.now + .seconds(240)
        var lastCommands: Int64 = -1
        var stableRounds = 0
        while stableRounds < 2 {
            for child in children where child !== simulate && child !== fold2 {
                #expect(child.isRunning, "\(child.name) died; see \(child.logPath)")
            }
            let commands = try await kafka.total("marketo.commands") + kafka.total("salesforce.commands")
            let unfolded = try await kafka.unfolded(inputs: Self.inputs)
            let marketoBehind = try await kafka.uncommitted(
                group: "leadsync-writer-marketo",
                topics: ["marketo.commands", "marketo.commands.retry"]
            )
            let salesforceBehind = try await kafka.uncommitted(
                group: "leadsync-writer-salesforce",
                topics: ["salesforce.commands", "salesforce.commands.retry"]
            )
            if unfolded == 0 && marketoBehind == 0 && salesforceBehind == 0 && commands == lastCommands {
                stableRounds += 1
            } else {
                stableRounds = 0
            }
            lastCommands = commands
            guard ContinuousClock.now < finishDeadline else {
                throw ScaleOutFailure(
                    "not finished: \(unfolded) input records unfolded, Marketo writers \(marketoBehind) and "
                        + "Salesforce writer \(salesforceBehind) commands behind"
                )
            }
            try await Task.sleep(for: .milliseconds(500))
        }

        for child in [fold1, fold3] + writers {
            #expect(
                await child.terminateGracefully() == 0,
                "\(child.name) stops cleanly on SIGTERM; see \(child.logPath)"
            )
        }
        // Every fold process folded a share, and each Marketo writer delivered a share of its group's commands.
        let folded = [fold1, fold2, fold3].map { $0.lastNumber(after: "stopped after ") ?? 0 }
        #expect(folded.allSatisfy { $0 > 0 }, "input records folded per fold process: \(folded)")
        #expect(folded.reduce(0, +) >= records.count, "input records folded per fold process: \(folded)")
        let delivered = writers.map { $0.lastNumber(after: "consumed, ") ?? 0 }
        #expect(delivered.allSatisfy { $0 > 0 }, "commands delivered per writer process: \(delivered)")

        // The commands: no id twice. Which commands a lead gets on the way depends on the order its events reach
        // its task (the two input topics, and leadsync.repartition for re-keyed records, interleave differently in
        // every process); what it ends at does not (event time), and is checked below against the reference fold.
        var ids: [String] = []
        var lastStatus: [String: ChannelStatus] = [:]
        let rekeyedLeads = Set(records.filter { !$0.intent.isKeyCanonical }.map(\.intent.leadKey))
        for topic in Self.commandTopics {
            for record in try await kafka.readAll(topic) {
                let command = try CommandCodec.decode(record.value)
                ids.append(command.commandId.rawValue)
                if case .memberStatus(let change) = command.payload {
                    lastStatus["\(topic)|\(command.leadKey.rawValue)|\(command.virtualEventId)"] = change.status
                }
            }
        }
        let duplicates = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.count
        #expect(duplicates == 0, "\(duplicates) commands written more than once")
        #expect(!rekeyedLeads.isEmpty && rekeyedLeads.count < Self.leads / 2, "some leads, not most, were re-keyed")
        #expect(try await kafka.total("leadsync.repartition") > 0, "re-keyed records went through leadsync.repartition")
        print(
            "scale-out: \(records.count) records, \(ids.count) commands (\(rekeyedLeads.count) re-keyed leads); "
                + "3 folds at \(producedAtThree) and 2 at \(producedAtTwo) records produced; folded per fold "
                + "\(folded), delivered per writer \(delivered)"
        )

        // The CRMs hold exactly the fold's committed state.
        let states = try await LeadStateLookup.committedStates(
            changelog: "leadsync.state.changelog",
            client: client,
            logger: logger
        )
        // Every lead's statuses and engagement as the domain alone folds the stream (event time: whatever order
        // the folds met the records in), and every lead and event's last status command says that status.
        let reference = ReferenceFold.states(for: records, tenants: config.tenantDirectory)
        var mismatches = 0
        var wrongLast = 0
        for (key, state) in states {
            let expected = reference[key.rawValue]
            if expected?.timelines != state.timelines
                || expected?.engagements.map(\.key) != state.engagements.map(\.key)
            {
                mismatches += 1
            }
            let tenant = config.tenants.first { $0.tenant == key.tenant }
            for membership in state.memberships {
                for (destination, topic) in [
                    (Destination.marketo, "marketo.commands"), (.salesforce, "salesforce.commands"),
                ] where tenant?.destinations.contains(destination) == true {
                    if lastStatus["\(topic)|\(key.rawValue)|\(membership.virtualEventId)"] != membership.status {
                        wrongLast += 1
                    }
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) leads whose committed state is not the reference fold's")
        #expect(wrongLast == 0, "\(wrongLast) leads and events whose last status command is not their status")
        #expect(states.count == reference.count)
        #expect(states.count >= Self.leads * 9 / 10)
        let consistency = PipelineConsistency.check(
            states: states,
            tenants: config.tenants,
            marketo: crm.marketo,
            salesforce: crm.salesforce
        )
        #expect(consistency.isConsistent, "\(consistency)")
        #expect(consistency.marketoMembers > Self.leads / 2 && consistency.salesforceMembers > Self.leads / 4)

        // No dead letters at the writers; every poison record dead-lettered by the fold exactly once.
        for topic in ["marketo.commands.dlq", "salesforce.commands.dlq"] {
            let letters = try await kafka.readAll(topic)
            let reasons = Set(letters.compactMap { $0.headers.string(for: "leadsync.error.code") })
            #expect(letters.isEmpty, "\(letters.count) dead letters on \(topic): \(reasons.sorted())")
        }
        let poison = records.filter { $0.intent.poisonKind != nil }
        let deadLetters = try await kafka.readAll("leadsync.events.dlq")
        let deadLetterIds = deadLetters.map { $0.headers.string(for: FoldHeaders.outputId) ?? "none" }
        #expect(!poison.isEmpty)
        #expect(deadLetters.count == poison.count, "dead letters \(deadLetters.count), poison records \(poison.count)")
        #expect(Set(deadLetterIds).count == deadLetters.count, "each poison record dead-lettered once")
        #expect(
            Dictionary(deadLetters.map { ($0.value, 1) }, uniquingKeysWith: +)
                == Dictionary(poison.map { ($0.value, 1) }, uniquingKeysWith: +),
            "the dead letters are the poison records"
        )

        passed =
            duplicates == 0 && mismatches == 0 && wrongLast == 0 && consistency.isConsistent
            && deadLetters.count == poison.count
    }

    /// Input records on the two input topics.
    static func produced(_ kafka: ScaleOutKafka) async throws -> Int64 {
        try await kafka.total("attendee.events") + kafka.total("engagement.events")
    }
}
