import ArgumentParser
import Basics
import Config
import Foundation
import Kafka
import LeadModel
import Simulation

/// `leadsync simulate`: produces a seeded, realistic attendee and engagement stream to Kafka (or prints it).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Produce realistic, seeded attendee and engagement events to the input topics.",
        discussion: """
            Every lead (first.last.N@domainK.example, unique per lead) walks a status journey (invited, \
            registered, confirmed, visits; some un-register and come back, a few are blocked) and then sends \
            cumulative engagement snapshots per session entry. The same options and --seed always produce the \
            same records, byte for byte.

            Departures from the ideal stream are probabilities in 0...1: --out-of-order-rate (a record held back \
            behind the next one of its lead and topic), --duplicate-rate and --poison-rate (shares of all \
            records; poison of every kind the worker must dead-letter: not_json, missing_field, invalid_email, \
            unknown_status, invalid_date, unknown_type, unknown_version, unmapped_event, unknown_tenant), \
            --non-canonical-key-rate (no key, or a key in another case or with whitespace, which the fold must \
            re-key) and --email-variation-rate (the body's email in another case or with whitespace). \
            --engagement-ahead or --attendee-ahead produce one input topic ahead of the other (a count of records \
            or 'all'), which the fold must fold to the same state as the stream as generated (event time).

            Records of one lead are produced in the order the plan decided (same key, same partition), in \
            batches whose delivery reports are all checked: any record not delivered fails the command with its \
            reason. The summary (standard output) counts records by topic and by intent.

            Examples:
              leadsync simulate --dry-run --show 5
              leadsync simulate --leads 100000 --events-per-lead 12
              leadsync simulate --config /etc/leadsync/leadsync.yaml --leads 1000
              leadsync simulate --bootstrap-servers kafka-0:9092 \\
                --tenant acme=summit-2026,webinar-7 \\
                --tenant globex=partner-day-2026 \\
                --poison-rate 0.01 --seed 7 --rate 5000
            """
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var kafka: KafkaConnectionOptions

    @Option(
        name: .customLong("tenant"),
        help: ArgumentHelp(
            "A tenant and its virtual event ids, tenant=event[,event...] (repeatable).",
            discussion: "Default: \(SimulateCommand.defaultTenantsText).",
            valueName: "tenant=events"
        )
    )
    var tenants: [String] = []

    @Option(help: "Number of leads (unique emails), spread over the tenants in turn.")
    var leads = 1_000

    @Option(help: "Valid events per lead: status changes first, then engagement snapshots.")
    var eventsPerLead = 10

    @Option(help: "Chance that a record is produced after a later one of its lead and topic (0...1).")
    var outOfOrderRate = 0.05

    @Option(help: "Share of records that repeat an earlier record exactly, same eventId (0...1).")
    var duplicateRate = 0.02

    @Option(help: "Share of records that are poison, kinds equally often (0...1).")
    var poisonRate = 0.01

    @Option(
        name: .customLong("poison-kind"),
        help: ArgumentHelp(
            "Restrict poison to these kinds (repeatable).",
            discussion: "One of: \(PoisonKind.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "kind"
        )
    )
    var poisonKinds: [String] = []

    @Option(help: "Chance that a valid record has no key or a non-canonical one (0...1).")
    var nonCanonicalKeyRate = 0.05

    @Option(help: "Chance that a valid record's body spells the email in another case or with whitespace (0...1).")
    var emailVariationRate = 0.1

    @Option(help: "The seed: the same seed and options produce the same records.")
    var seed: UInt64 = 1

    @Option(help: "The earliest occurredAt, RFC 3339 (default 2026-11-22T08:00:00Z).")
    var start: String?

    @Option(help: "Leads start their journeys within this long after --start: 0, 90s, 30m, 12h, 7d.")
    var spread = "7d"

    @Option(help: "How many leads produce at the same time (their records are interleaved).")
    var interleavedLeads = 64

    @OptionGroup var skew: TopicSkewOptions

    @Option(help: "The attendee topic.")
    var attendeeTopic = "attendee.events"

    @Option(help: "The engagement topic.")
    var engagementTopic = "engagement.events"

    @Option(help: "At most this many records per second (default: as fast as Kafka takes them).")
    var rate: Double?

    @Option(help: "Records per produce batch (delivery reports are awaited per batch).")
    var batchSize = 5_000

    @Flag(help: "Print a few records and the totals; produce nothing.")
    var dryRun = false

    @Option(help: "With --dry-run, how many records to print.")
    var show = 3

    // MARK: - Validation

    func validate() throws {
        for (option, value) in [
            ("--out-of-order-rate", outOfOrderRate), ("--duplicate-rate", duplicateRate),
            ("--poison-rate", poisonRate), ("--non-canonical-key-rate", nonCanonicalKeyRate),
            ("--email-variation-rate", emailVariationRate),
        ] {
            guard value.isFinite, (0...1).contains(value) else {
                throw ValidationError("\(option) must be a probability between 0 and 1 (e.g. 0.05), got \(value)")
            }
        }
        guard duplicateRate + poisonRate < 1 else {
            throw ValidationError(
                "--duplicate-rate (\(duplicateRate)) plus --poison-rate (\(poisonRate)) must be below 1: "
                    + "they are shares of all records, and some must be valid"
            )
        }
        guard leads >= 0 else { throw ValidationError("--leads must be 0 or more, got \(leads)") }
        guard eventsPerLead >= 1 else {
            throw ValidationError("--events-per-lead must be 1 or more, got \(eventsPerLead)")
        }
        guard leads <= Int.max / eventsPerLead else {
            throw ValidationError("--leads times --events-per-lead is too large")
        }
        guard interleavedLeads >= 1 else {
            throw ValidationError("--interleaved-leads must be 1 or more, got \(interleavedLeads)")
        }
        guard (1...100_000).contains(batchSize) else {
            throw ValidationError("--batch-size must be between 1 and 100000, got \(batchSize)")
        }
        if let rate {
            guard rate.isFinite, rate > 0 else {
                throw ValidationError("--rate must be a positive number of records per second, got \(rate)")
            }
        }
        guard show >= 0 else { throw ValidationError("--show must be 0 or more, got \(show)") }
        _ = try parsedTenants()
        _ = try parsedPoisonKinds()
        _ = try parsedStart()
        _ = try parsedSpread()
    }

    /// The default tenants, as `--tenant` would spell them.
    static var defaultTenantsText: String {
        SimulatedTenant.developmentDefaults
            .map { "--tenant \($0.id)=\($0.virtualEventIds.joined(separator: ","))" }
            .joined(separator: " ")
    }

    private func parsedTenants() throws -> [SimulatedTenant] {
        guard !tenants.isEmpty else { return SimulatedTenant.developmentDefaults }
        var parsed: [SimulatedTenant] = []
        for text in tenants {
            guard let equals = text.firstIndex(of: "=") else {
                throw ValidationError(
                    "--tenant expects tenant=event[,event...], e.g. acme=summit-2026,webinar-7; got '\(text)'"
                )
            }
            let id = String(text[..<equals])
            let events = text[text.index(after: equals)...].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard LeadKey.isValidTenant(id) else {
                throw ValidationError(
                    "--tenant '\(text)': '\(id)' is not a valid tenant id "
                        + "(1-255 bytes, no '/', whitespace or control characters)"
                )
            }
            guard !events.isEmpty, !events.contains(where: \.isEmpty) else {
                throw ValidationError(
                    "--tenant '\(text)': list at least one virtual event id after '=', separated by commas"
                )
            }
            guard Set(events).count == events.count else {
                throw ValidationError("--tenant '\(text)': a virtual event id is listed twice")
            }
            guard !parsed.contains(where: { $0.id == id }) else {
                throw ValidationError("--tenant '\(id)' is given twice; list all its events in one --tenant")
            }
            parsed.append(SimulatedTenant(id: id, virtualEventIds: events))
        }
        return parsed
    }

    private func parsedPoisonKinds() throws -> [PoisonKind] {
        guard !poisonKinds.isEmpty else { return PoisonKind.allCases }
        return try poisonKinds.map { name in
            guard let kind = PoisonKind(rawValue: name) else {
                throw ValidationError(
                    "--poison-kind '\(name)' is unknown; expected one of "
                        + PoisonKind.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            return kind
        }
    }

    private func parsedStart() throws -> Timestamp {
        guard let start else { return SimulationPlan.defaultStartTime }
        guard let timestamp = Timestamp(rfc3339: start) else {
            throw ValidationError(
                "--start '\(start)' is not an RFC 3339 date-time with a zone, e.g. 2026-11-22T08:00:00Z"
            )
        }
        return timestamp
    }

    private func parsedSpread() throws -> Int64 {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        if spread == "0" { return 0 }
        for unit in units where spread.hasSuffix(unit.suffix) {
            let number = spread.dropLast(unit.suffix.count)
            // "5ms" also ends in "s": only accept the unit whose prefix is a plain number.
            if let value = Int64(number), value >= 0, value <= Int64.max / unit.milliseconds {
                return value * unit.milliseconds
            }
        }
        throw ValidationError(
            "--spread '\(spread)' is not a duration; expected a whole number with ms, s, m, h or d (e.g. 7d, 90m) or 0"
        )
    }

    private func makePlan() throws -> SimulationPlan {
        let plan = SimulationPlan(
            tenants: try parsedTenants(),
            leadCount: leads,
            eventsPerLead: eventsPerLead,
            startTime: try parsedStart(),
            spreadMilliseconds: try parsedSpread(),
            rates: SimulationRates(
                outOfOrder: outOfOrderRate,
                duplicate: duplicateRate,
                poison: poisonRate,
                nonCanonicalKey: nonCanonicalKeyRate,
                emailVariation: emailVariationRate,
                poisonKinds: try parsedPoisonKinds()
            ),
            seed: seed,
            attendeeTopic: attendeeTopic,
            engagementTopic: engagementTopic,
            interleavedLeads: interleavedLeads,
            topicSkew: try skew.skew()
        )
        do {
            try plan.validate()
        } catch {
            throw CommandFailure(message: "invalid simulation plan: \(error)")
        }
        return plan
    }

    // MARK: - Run

    func run() async throws {
        try await runReportingErrors {
            let plan = try makePlan()
            if dryRun {
                printDryRun(plan)
            } else {
                try await produce(plan)
            }
        }
    }

    private func printDryRun(_ plan: SimulationPlan) {
        let clock = ContinuousClock()
        let started = clock.now
        var tally = SimulationTally()
        var progress = ProgressReporter(expected: plan.estimatedRecordCount, clock: clock)
        for record in plan.records() {
            if tally.records < show {
                let key = record.key.map { "'\(String(decoding: $0, as: UTF8.self))'" } ?? "(none)"
                printLine("# \(record.topic) key=\(key) intent=\(SimulateCommand.describe(record.intent))")
                printLine(String(decoding: record.value, as: UTF8.self))
            }
            tally.add(record)
            if tally.records & 0x3FFF == 0 { progress.update(records: tally.records) }
        }
        progress.finish(records: tally.records)
        printSummary(plan, tally, elapsed: clock.now - started, produced: false)
    }

    private func produce(_ plan: SimulationPlan) async throws {
        let logger = makeLogger("leadsync.simulate")
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                // --config (or LEADSYNC_CONFIG) names the cluster when no --bootstrap-servers / --dev-cluster does.
                client: configOptions.isNamed
                    ? try kafka.clientConfiguration(clientId: "leadsync-simulate", config: try configOptions.load())
                    : try kafka.clientConfiguration(clientId: "leadsync-simulate"),
                idempotent: true,
                lingerMilliseconds: 5,
                partitioner: .murmur2Random
            ),
            logger: logger
        )
        let clock = ContinuousClock()
        let started = clock.now
        var tally = SimulationTally()
        var progress = ProgressReporter(expected: plan.estimatedRecordCount, clock: clock)
        // With a rate limit, send small batches often instead of one large batch and a long pause.
        let batchLimit = rate.map { max(1, min(batchSize, Int($0 / 10))) } ?? batchSize
        var iterator = plan.records().makeIterator()
        var inFlight: Task<[DeliveryReport], any Error>?
        var inFlightBatch: [OutgoingRecord] = []
        var delivered = 0

        while true {
            // Generate the next batch while the previous one is being delivered.
            var batch: [OutgoingRecord] = []
            batch.reserveCapacity(batchLimit)
            while batch.count < batchLimit, let record = iterator.next() {
                tally.add(record)
                batch.append(OutgoingRecord(topic: record.topic, key: record.key, value: record.value))
            }
            if let inFlight {
                try SimulateCommand.check(try await inFlight.value, of: inFlightBatch)
                delivered += inFlightBatch.count
                progress.update(records: delivered)
            }
            guard !batch.isEmpty else { break }
            if let rate {
                // Do not start this batch before the records already sent are due at the limit.
                let due = started + .seconds(Double(tally.records - batch.count) / rate)
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
            let records = batch
            inFlight = Task { try await producer.send(records) }
            inFlightBatch = batch
        }
        try await producer.flush()
        progress.finish(records: delivered)
        printSummary(plan, tally, elapsed: clock.now - started, produced: true)
    }

    /// Throws when any record of the batch was not delivered, with the reasons.
    private static func check(_ reports: [DeliveryReport], of batch: [OutgoingRecord]) throws {
        let failures = reports.enumerated().filter { !$0.element.isDelivered }
        guard let first = failures.first else { return }
        let reasons = Dictionary(grouping: failures, by: { $0.element.error?.name ?? "unknown" })
            .map { "\($0.key) x\($0.value.count)" }
            .sorted()
            .joined(separator: ", ")
        // The key is left out: it holds an email, and emails stay out of error output.
        let topics = Set(failures.map { batch[$0.offset].topic }).sorted().joined(separator: ", ")
        throw CommandFailure(
            message: "\(failures.count) of \(batch.count) records of a batch were not delivered (\(reasons)); "
                + "topics: \(topics); first failed record: number \(first.offset + 1) of the batch"
        )
    }

    // MARK: - Output

    private static func describe(_ intent: RecordIntent) -> String {
        var text: String
        switch intent.kind {
        case .valid: text = intent.isDeliveredLate ? "valid, late" : "valid"
        case .duplicate: text = "duplicate"
        case .poison(let kind): text = "poison \(kind.rawValue)"
        }
        switch intent.keyForm {
        case .canonical: break
        case .absent: text += ", no key"
        case .nonCanonical: text += ", non-canonical key"
        }
        return text
    }

    private func printSummary(_ plan: SimulationPlan, _ tally: SimulationTally, elapsed: Duration, produced: Bool) {
        let seconds = max(elapsed.seconds, 1e-9)
        let verb = produced ? "produced" : "generated (dry run, nothing produced)"
        printLine(
            "simulate: \(verb) \(Self.grouped(tally.records)) records, \(Self.grouped(tally.valueBytes)) bytes, "
                + "in \(String(format: "%.1f", seconds)) s "
                + "(\(Self.grouped(Int(Double(tally.records) / seconds))) records/s)"
        )
        let tenants = plan.tenants.map { "\($0.id) (\($0.virtualEventIds.joined(separator: ", ")))" }
        printLine(
            "  plan: \(Self.grouped(plan.leadCount)) leads x \(plan.eventsPerLead) events, seed \(plan.seed), "
                + "tenants \(tenants.joined(separator: ", "))"
        )
        for topic in tally.recordsByTopic.keys.sorted() {
            printLine(Self.row("  \(topic)", tally.recordsByTopic[topic, default: 0]))
        }
        printLine(Self.row("  valid", tally.valid) + "   (\(Self.grouped(tally.deliveredLate)) delivered late)")
        printLine(Self.row("  duplicates", tally.duplicates))
        printLine(Self.row("  poison", tally.poison))
        for kind in PoisonKind.allCases where tally.poisonByKind[kind, default: 0] > 0 {
            printLine(Self.row("    \(kind.rawValue)", tally.poisonByKind[kind, default: 0]))
        }
        printLine(
            Self.row("  keys not canonical", tally.nonCanonicalKeys + tally.absentKeys)
                + "   (\(Self.grouped(tally.absentKeys)) without a key)"
        )
    }

    private static func row(_ label: String, _ value: Int) -> String {
        let padding = max(1, 24 - label.count)
        let number = grouped(value)
        return label + String(repeating: " ", count: padding) + String(repeating: " ", count: max(0, 13 - number.count))
            + number
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }

    // MARK: - Progress

    /// Progress on standard error: a redrawn bar on a terminal, a line every few seconds otherwise.
    struct ProgressReporter {
        let expected: Int
        let clock: ContinuousClock
        let started: ContinuousClock.Instant
        let isTerminal = isatty(STDERR_FILENO) == 1
        private var lastReport: ContinuousClock.Instant

        init(expected: Int, clock: ContinuousClock) {
            self.expected = max(expected, 1)
            self.clock = clock
            started = clock.now
            lastReport = started
        }

        mutating func update(records: Int) {
            let now = clock.now
            let interval: Duration = isTerminal ? .milliseconds(100) : .seconds(5)
            guard now - lastReport >= interval else { return }
            lastReport = now
            report(records: records, now: now, final: false)
        }

        mutating func finish(records: Int) {
            if isTerminal { report(records: records, now: clock.now, final: true) }
        }

        private mutating func report(records: Int, now: ContinuousClock.Instant, final: Bool) {
            let seconds = max((now - started).seconds, 1e-9)
            let perSecond = Double(records) / seconds
            // The total is an estimate (duplicates and poison are random): never claim 100 % before the end.
            let fraction = final ? 1 : min(Double(records) / Double(expected), 0.99)
            let remaining = perSecond > 0 ? Double(max(expected - records, 0)) / perSecond : 0
            let eta = final ? "done" : "ETA \(ProgressReporter.clockText(remaining))"
            let figures =
                "\(String(format: "%3d", Int(fraction * 100)))%  \(SimulateCommand.grouped(records)) records  "
                + "\(SimulateCommand.grouped(Int(perSecond))) records/s  \(eta)"
            if isTerminal {
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(figures)\(final ? "\n" : "")".utf8))
            } else {
                FileHandle.standardError.write(Data("simulate: \(figures)\n".utf8))
            }
        }

        private static func clockText(_ seconds: Double) -> String {
            let whole = Int(seconds.rounded(.up))
            if whole >= 3600 { return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60) }
            return String(format: "%d:%02d", whole / 60, whole % 60)
        }
    }
}
