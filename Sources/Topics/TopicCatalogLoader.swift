public import Foundation
import Yams

/// Reads the topic definitions of a `topics/` directory: every `*.yaml` file directly in it (the definitions built
/// into the binary are ``EmbeddedTopicDefinitions``).
public struct TopicCatalogLoader: Sendable {
    /// A definition file that cannot be used, with the file and the reason.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var reason: String

        public var description: String { "\(file): \(reason)" }
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Loads and validates every definition, sorted by topic name.
    /// - Throws: ``LoadError`` naming the first file that does not parse or is invalid.
    public func load() throws(LoadError) -> [TopicDefinition] {
        let files: [URL]
        do {
            // Resolved first: mounted ConfigMaps and checkouts often reach the directory through a symlink.
            files = try FileManager.default.contentsOfDirectory(
                at: directory.resolvingSymlinksInPath(),
                includingPropertiesForKeys: nil
            )
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw LoadError(
                file: directory.path,
                reason: "cannot list the topic definitions (\(error.localizedDescription)); pass --topics-dir with a "
                    + "directory of *.yaml definitions, or leave it out to use \(EmbeddedTopicDefinitions.sourceName)"
            )
        }
        guard !files.isEmpty else {
            throw LoadError(file: directory.path, reason: "no topic definition (*.yaml) found")
        }
        var texts: [(name: String, text: String)] = []
        for file in files {
            do {
                texts.append((file.path, try String(contentsOf: file, encoding: .utf8)))
            } catch {
                throw LoadError(file: file.path, reason: "cannot read: \(error.localizedDescription)")
            }
        }
        return try Self.collect(texts)
    }

    /// Parses named definition texts, refuses a topic defined twice, and sorts them by topic name.
    static func collect(_ texts: [(name: String, text: String)]) throws(LoadError) -> [TopicDefinition] {
        var definitions: [TopicDefinition] = []
        var seen: [String: String] = [:]
        for (name, text) in texts {
            let definition = try parse(text, file: name)
            if let other = seen[definition.name] {
                throw LoadError(file: name, reason: "topic '\(definition.name)' is also defined in \(other)")
            }
            seen[definition.name] = (name as NSString).lastPathComponent
            definitions.append(definition)
        }
        return definitions.sorted { $0.name < $1.name }
    }

    /// Loads one definition file.
    public static func load(file: URL) throws(LoadError) -> TopicDefinition {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw LoadError(file: file.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: file.path)
    }

    /// Parses and validates one definition; `file` names it in errors.
    static func parse(_ text: String, file: String) throws(LoadError) -> TopicDefinition {
        let definition: TopicDefinition
        do {
            definition = try YAMLDecoder().decode(TopicDefinition.self, from: text)
        } catch let error as DecodingError {
            throw LoadError(file: file, reason: describe(error))
        } catch {
            throw LoadError(file: file, reason: "not valid YAML: \(error)")
        }
        if let problem = validate(definition) {
            throw LoadError(file: file, reason: problem)
        }
        return definition
    }

    static func validate(_ definition: TopicDefinition) -> String? {
        let legal = definition.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        if definition.name.isEmpty || definition.name.count > 249 || !legal {
            return "name '\(definition.name)' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])"
        }
        if definition.partitions < 1 {
            return "partitions must be at least 1, not \(definition.partitions)"
        }
        if definition.replicationFactor < 1 {
            return "replicationFactor must be at least 1, not \(definition.replicationFactor)"
        }
        let policies = Set(
            definition.cleanupPolicy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        )
        if !policies.isSubset(of: ["delete", "compact"]) || policies.isEmpty {
            return "cleanup.policy must be delete, compact or both, not '\(definition.cleanupPolicy)'"
        }
        return nil
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "the document" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context))"
            return "missing required field '\(key.stringValue)'\(parent)"
        case .typeMismatch(let type, let context):
            return "field '\(path(context))' has the wrong type (expected \(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context))' is empty (expected \(type))"
        case .dataCorrupted(let context):
            return "not valid YAML at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
