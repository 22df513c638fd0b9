import Foundation
import Testing
import Topics
import Yams

@Suite("Strimzi KafkaTopic render of topics/")
struct StrimziRenderTests {
    /// The repository's `topics/`, as `leadsync topics render` reads it.
    private func repositoryTopics() throws -> [TopicDefinition] {
        try TopicCatalogLoader(directory: URL(fileURLWithPath: "topics")).load()
    }

    @Test("k8s/base/topics is exactly a fresh render of topics/ (fails on drift)")
    func committedRenderHasNoDrift() throws {
        let manifests = StrimziTopicRenderer().manifests(for: try repositoryTopics())
        let directory = StrimziManifestDirectory(url: URL(fileURLWithPath: "k8s/base/topics"))
        let differences = try directory.differences(from: manifests)
        #expect(
            differences.isEmpty,
            """
            k8s/base/topics drifted from topics/: \(differences.map(\.description).joined(separator: "; ")). \
            Run: leadsync topics render --format strimzi --output-dir k8s/base/topics
            """
        )
    }

    @Test("every rendered KafkaTopic carries its definition: name, partitions, replicas, configs, cluster label")
    func renderedResourcesMatchDefinitions() throws {
        let definitions = try repositoryTopics()
        #expect(definitions.count == 13)
        let renderer = StrimziTopicRenderer(clusterName: "prod-kafka", apiVersion: .v1beta2)
        for definition in definitions {
            let node = try #require(try Yams.load(yaml: renderer.render(definition)) as? [String: Any])
            #expect(node["apiVersion"] as? String == "kafka.strimzi.io/v1beta2")
            #expect(node["kind"] as? String == "KafkaTopic")
            let metadata = try #require(node["metadata"] as? [String: Any])
            #expect(metadata["name"] as? String == definition.name)
            let labels = try #require(metadata["labels"] as? [String: String])
            #expect(labels["strimzi.io/cluster"] == "prod-kafka")
            let spec = try #require(node["spec"] as? [String: Any])
            #expect(spec["topicName"] as? String == definition.name)
            #expect(spec["partitions"] as? Int == definition.partitions)
            #expect(spec["replicas"] as? Int == definition.replicationFactor)
            #expect(spec["config"] as? [String: String] == definition.configs)
        }
    }

    @Test("the changelog renders compacted and the inputs, repartition and command topics share a partition count")
    func designInvariantsSurviveTheRender() throws {
        let stream = StrimziTopicRenderer().render(try repositoryTopics())
        let documents = try Yams.load_all(yaml: stream).compactMap { $0 as? [String: Any] }
        #expect(documents.count == 13)
        var partitions: [String: Int] = [:]
        var cleanup: [String: String] = [:]
        for document in documents {
            let spec = try #require(document["spec"] as? [String: Any])
            let name = try #require(spec["topicName"] as? String)
            partitions[name] = spec["partitions"] as? Int
            cleanup[name] = (spec["config"] as? [String: String])?["cleanup.policy"]
        }
        #expect(cleanup["leadsync.state.changelog"] == "compact")
        let coPartitioned = [
            "attendee.events", "engagement.events", "leadsync.repartition", "leadsync.state.changelog",
            "marketo.commands", "salesforce.commands",
        ]
        #expect(Set(coPartitioned.map { partitions[$0] }).count == 1)
    }

    @Test("topic names that are not Kubernetes names get a cleaned, hashed resource name; topicName keeps the real one")
    func resourceNames() throws {
        #expect(StrimziTopicRenderer.resourceName(forTopic: "marketo.commands.dlq") == "marketo.commands.dlq")
        let upper = StrimziTopicRenderer.resourceName(forTopic: "Leads_Raw")
        let lower = StrimziTopicRenderer.resourceName(forTopic: "leads_raw")
        #expect(upper.hasPrefix("leads-raw-"))
        #expect(lower.hasPrefix("leads-raw-"))
        #expect(upper != lower)
        for name in [
            upper, lower, StrimziTopicRenderer.resourceName(forTopic: "_x_"),
            StrimziTopicRenderer.resourceName(forTopic: "__"),
        ] {
            #expect(name.range(of: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", options: .regularExpression) != nil, "\(name)")
        }
        let definition = TopicDefinition(
            name: "Leads_Raw",
            partitions: 3,
            replicationFactor: 1,
            configs: ["compression.type": "zstd"],
            description: "with \"quotes\"\nand a second line"
        )
        let node = try #require(try Yams.load(yaml: StrimziTopicRenderer().render(definition)) as? [String: Any])
        let metadata = try #require(node["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == upper)
        #expect((node["spec"] as? [String: Any])?["topicName"] as? String == "Leads_Raw")
    }

    @Test("writing a render replaces changed and stale generated files, keeps hand-written ones, then reports no drift")
    func writeAndCheckADirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strimzi-render-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = StrimziManifestDirectory(url: root)
        let renderer = StrimziTopicRenderer()
        let first = renderer.manifests(for: [
            TopicDefinition(name: "a.events", partitions: 6, replicationFactor: 3),
            TopicDefinition(name: "b.events", partitions: 6, replicationFactor: 3),
        ])
        #expect(try directory.write(first) == ["a.events.yaml", "b.events.yaml", "kustomization.yaml"])
        let handWritten = root.appendingPathComponent("notes.yaml")
        try Data("# kept\n".utf8).write(to: handWritten)
        #expect(try directory.differences(from: first).isEmpty)

        let second = renderer.manifests(for: [TopicDefinition(name: "a.events", partitions: 12, replicationFactor: 3)])
        let differences = try directory.differences(from: second)
        #expect(
            differences.map(\.description).sorted() == [
                "a.events.yaml: differs from a fresh render from line 13",
                "b.events.yaml: generated for a topic that topics/ no longer defines",
                "kustomization.yaml: differs from a fresh render from line 7",
            ]
        )
        #expect(try directory.write(second) == ["a.events.yaml", "b.events.yaml", "kustomization.yaml"])
        #expect(try directory.differences(from: second).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("b.events.yaml").path))
        #expect(try String(contentsOf: handWritten, encoding: .utf8) == "# kept\n")
        #expect(
            try String(contentsOf: root.appendingPathComponent("a.events.yaml"), encoding: .utf8).contains(
                "partitions: 12"
            )
        )
    }

    @Test("API versions by short and full name")
    func apiVersionNames() {
        #expect(StrimziTopicRenderer.APIVersion(name: "v1") == .v1)
        #expect(StrimziTopicRenderer.APIVersion(name: "kafka.strimzi.io/v1beta2") == .v1beta2)
        #expect(StrimziTopicRenderer.APIVersion(name: "v1beta1") == nil)
    }

    // MARK: - The command, as an operator runs it

    @Test("leadsync topics render: stdout stream, --output-dir, --check passing and failing on drift, bad --format")
    func renderCommand() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("topics-render-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("topics").path

        let stream = try Self.leadsync(["topics", "render", "--format", "strimzi"])
        #expect(stream.status == 0)
        #expect(stream.output == StrimziTopicRenderer().render(try repositoryTopics()))

        let written = try Self.leadsync(["topics", "render", "--format", "strimzi", "--output-dir", output])
        #expect(written.status == 0)
        #expect(written.output.contains("13 topics, 14 file(s) changed"))
        let inSync = try Self.leadsync(["topics", "render", "--format", "strimzi", "--output-dir", output, "--check"])
        #expect(inSync.status == 0)
        #expect(inSync.output.contains("in sync with the topic definitions built into leadsync (13 topics)"))

        let edited = root.appendingPathComponent("topics/marketo.commands.yaml")
        let text = try String(contentsOf: edited, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "partitions: 12", with: "partitions: 24").utf8).write(to: edited)
        let drifted = try Self.leadsync(["topics", "render", "--format", "strimzi", "--output-dir", output, "--check"])
        #expect(drifted.status == 1)
        #expect(drifted.output.contains("marketo.commands.yaml: differs from a fresh render"))
        #expect(try String(contentsOf: edited, encoding: .utf8).contains("partitions: 24"), "--check changes nothing")

        let helm = try Self.leadsync(["topics", "render", "--format", "helm"])
        #expect(helm.status != 0)
        #expect(helm.errorOutput.contains("--format must be strimzi"))
    }

    /// The outcome of one `leadsync` run.
    struct CommandResult {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// Runs the built `leadsync` (beside the test runner in the build products, or `$LEADSYNC_BINARY`) to completion.
    static func leadsync(_ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errorOutput = Pipe()
        process.standardOutput = output
        process.standardError = errorOutput
        try process.run()
        // Outputs are a few kilobytes: read both to the end, then reap.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorOutput.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errorOutput: String(decoding: errorData, as: UTF8.self)
        )
    }

    static var binary: URL {
        if let explicit = ProcessInfo.processInfo.environment["LEADSYNC_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("leadsync")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/leadsync")
    }
}
