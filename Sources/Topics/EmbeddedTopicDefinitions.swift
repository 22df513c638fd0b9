import Foundation

// MARK: - EmbeddedTopicDefinitions

/// The topic definitions of `topics/`, compiled into the binary: SwiftPM embeds `Sources/Topics/Definitions`, a link
/// to `topics/`, so `leadsync dev-cluster` and `leadsync topics apply|render` work from any directory and in an
/// image that holds only the binary. `--topics-dir` reads a directory instead.
///
/// A test checks that this list names every `topics/*.yaml` file and that the embedded bytes equal the files.
public enum EmbeddedTopicDefinitions {
    /// Every definition file: its name in `topics/` and its bytes.
    public static let files: [(name: String, bytes: [UInt8])] = [
        ("attendee.events.yaml", PackageResources.attendee_events_yaml),
        ("engagement.events.yaml", PackageResources.engagement_events_yaml),
        ("leadsync.events.dlq.yaml", PackageResources.leadsync_events_dlq_yaml),
        ("leadsync.repartition.yaml", PackageResources.leadsync_repartition_yaml),
        ("leadsync.state.changelog.yaml", PackageResources.leadsync_state_changelog_yaml),
        ("marketo.commands.yaml", PackageResources.marketo_commands_yaml),
        ("marketo.commands.retry.yaml", PackageResources.marketo_commands_retry_yaml),
        ("marketo.commands.dlq.yaml", PackageResources.marketo_commands_dlq_yaml),
        ("marketo.commands.ledger.yaml", PackageResources.marketo_commands_ledger_yaml),
        ("salesforce.commands.yaml", PackageResources.salesforce_commands_yaml),
        ("salesforce.commands.retry.yaml", PackageResources.salesforce_commands_retry_yaml),
        ("salesforce.commands.dlq.yaml", PackageResources.salesforce_commands_dlq_yaml),
        ("salesforce.commands.ledger.yaml", PackageResources.salesforce_commands_ledger_yaml),
    ]

    /// The name messages give the embedded definitions in place of a directory.
    public static let sourceName = "the topic definitions built into leadsync"

    /// Parses and validates the embedded definitions, sorted by topic name.
    /// - Throws: ``TopicCatalogLoader/LoadError`` (only if the build embedded an invalid file, which the tests
    ///   prevent).
    public static func load() throws(TopicCatalogLoader.LoadError) -> [TopicDefinition] {
        try TopicCatalogLoader.collect(
            files.map { (name: "built-in topics/\($0.name)", text: String(decoding: $0.bytes, as: UTF8.self)) }
        )
    }
}

// MARK: - TopicDefinitionSource

/// Where a command takes its topic definitions from: the binary's own, or a directory (`--topics-dir`).
public enum TopicDefinitionSource: Sendable, Hashable, CustomStringConvertible {
    case embedded
    case directory(String)

    /// `--topics-dir`'s value: a directory when given, else the built-in definitions.
    public init(topicsDirectory: String?) {
        self = topicsDirectory.map { .directory($0) } ?? .embedded
    }

    /// Loads and validates the definitions, sorted by topic name.
    public func load() throws(TopicCatalogLoader.LoadError) -> [TopicDefinition] {
        switch self {
        case .embedded: try EmbeddedTopicDefinitions.load()
        case .directory(let path): try TopicCatalogLoader(directory: URL(fileURLWithPath: path)).load()
        }
    }

    public var description: String {
        switch self {
        case .embedded: EmbeddedTopicDefinitions.sourceName
        case .directory(let path): "\(path)/"
        }
    }
}
