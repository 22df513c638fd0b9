import ArgumentParser
import Delivery
import Fold
import Foundation
import Kafka
import LeadModel
import Operations

/// Which dead-letter topics to read and which dead letters to take, shared by `list`, `show` and `replay`.
struct DeadLetterSelectionOptions: ParsableArguments {
    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "A dead-letter topic to read (repeatable): events, marketo, salesforce, or a full topic name.",
            discussion: "Default: all three (leadsync.events.dlq, marketo.commands.dlq, salesforce.commands.dlq).",
            valueName: "topic"
        )
    )
    var topics: [String] = []

    @Option(help: "A prefix of every topic name, as given to the fold and the writers.")
    var topicPrefix = ""

    @Option(
        name: .customLong("tenant"),
        help: ArgumentHelp("Only this tenant's dead letters (repeatable).", valueName: "tenant")
    )
    var tenants: [String] = []

    @Option(
        name: .customLong("error-class"),
        help: ArgumentHelp(
            "Only this error class (repeatable): invalid_input, permanent, transient, authentication, rate_limited, "
                + "quota_exhausted.",
            valueName: "class"
        )
    )
    var errorClasses: [String] = []

    @Option(
        name: .customLong("error-code"),
        help: ArgumentHelp(
            "Only this error code (repeatable), e.g. unmapped_event, unknown_tenant, 1013, INVALID_FIELD.",
            valueName: "code"
        )
    )
    var errorCodes: [String] = []

    @Option(
        name: .customLong("original-topic"),
        help: ArgumentHelp(
            "Only dead letters first consumed from this topic (repeatable), e.g. attendee.events, marketo.commands.",
            valueName: "topic"
        )
    )
    var originalTopics: [String] = []

    @Option(
        help: ArgumentHelp("Only dead letters from this time on: \(DeadLetterTimeText.expectation).", valueName: "time")
    )
    var since: String?

    @Option(help: ArgumentHelp("Only dead letters before this time (same forms as --since).", valueName: "time"))
    var until: String?

    /// The three dead-letter topics under the prefix.
    var standardTopics: [String: String] {
        [
            "events": topicPrefix + FoldConfiguration.Topics.standard.deadLetter,
            "marketo": DeliveryConfiguration.Topics.standard(for: .marketo, prefix: topicPrefix).deadLetter,
            "salesforce": DeliveryConfiguration.Topics.standard(for: .salesforce, prefix: topicPrefix).deadLetter,
        ]
    }

    /// The topics to read: the named ones (short names resolved), else all three.
    func resolvedTopics() -> [String] {
        let standard = standardTopics
        guard !topics.isEmpty else { return ["events", "marketo", "salesforce"].compactMap { standard[$0] } }
        var resolved: [String] = []
        for topic in topics {
            let name = standard[topic] ?? topic
            if !resolved.contains(name) { resolved.append(name) }
        }
        return resolved
    }

    /// The filter these options describe.
    func filter(now: Timestamp = DeadLetterReplayer.wallClock()) throws -> DeadLetterFilter {
        let filter = DeadLetterFilter(
            tenants: Set(tenants),
            errorClasses: Set(errorClasses),
            errorCodes: Set(errorCodes),
            originalTopics: Set(originalTopics),
            since: try since.map { try DeadLetterTimeText.parse($0, now: now) },
            until: try until.map { try DeadLetterTimeText.parse($0, now: now) }
        )
        try filter.validate()
        return filter
    }

    func validate() throws {
        for topic in topics where topic.isEmpty {
            throw ValidationError("--topic needs a name: events, marketo, salesforce or a full topic name")
        }
        let now = DeadLetterReplayer.wallClock()
        do {
            _ = try filter(now: now)
        } catch let error as DeadLetterError {
            throw ValidationError(error.message)
        }
    }
}

/// Where the dead-letter commands find Kafka, and how patiently they read.
struct DeadLetterConnectionOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var kafka: KafkaConnectionOptions

    @Option(help: "Seconds without progress after which a read gives up (an unreachable cluster, a stuck partition).")
    var idleTimeout = 30

    @Option(help: "Seconds between progress lines on standard error (0: none).")
    var progressInterval = 5

    func validate() throws {
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second") }
        guard progressInterval >= 0 else { throw ValidationError("--progress-interval must be 0 or more seconds") }
    }

    /// The Kafka client: --bootstrap-servers or --dev-cluster when given (no configuration is loaded then), else
    /// the configuration's cluster, else a running `leadsync dev-cluster`.
    func clientConfiguration() throws -> KafkaClientConfiguration {
        if kafka.bootstrapServers != nil || kafka.devCluster != nil {
            return try kafka.clientConfiguration(clientId: "leadsync-dlq")
        }
        return try kafka.clientConfiguration(clientId: "leadsync-dlq", config: try configOptions.load())
    }

    /// Reader settings from these options.
    var settings: DeadLetterReader.Settings {
        DeadLetterReader.Settings(
            idleTimeout: .seconds(idleTimeout),
            progressInterval: .seconds(max(progressInterval, 1))
        )
    }

    /// Whether progress lines are wanted.
    var showsProgress: Bool { progressInterval > 0 }
}

/// Writes a line to standard error (progress and summaries that must not mix with listed records).
func printProgress(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
