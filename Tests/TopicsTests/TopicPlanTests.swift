import Foundation
import Testing
import Topics

@Suite("Topic definitions and the apply plan")
struct TopicPlanTests {
    let definitions = [
        TopicDefinition(name: "a", partitions: 12, replicationFactor: 3, configs: ["cleanup.policy": "delete"]),
        TopicDefinition(name: "b", partitions: 12, replicationFactor: 3, configs: ["cleanup.policy": "compact"]),
        TopicDefinition(name: "c", partitions: 6, replicationFactor: 3),
    ]

    @Test("missing topics are created, matching ones left alone")
    func missingAndMatching() {
        let plan = TopicPlan(
            definitions: definitions,
            existing: [ExistingTopic(name: "a", partitions: 12, configs: ["cleanup.policy": "delete"])]
        )
        #expect(plan.missing.map(\.name) == ["b", "c"])
        #expect(plan.matching == ["a"])
        #expect(plan.drift.isEmpty)
    }

    @Test("partition count and cleanup policy differences are drift")
    func drift() {
        let plan = TopicPlan(
            definitions: definitions,
            existing: [
                ExistingTopic(name: "a", partitions: 6, configs: ["cleanup.policy": "delete"]),
                ExistingTopic(name: "b", partitions: 12, configs: ["cleanup.policy": "delete"]),
                ExistingTopic(name: "c", partitions: 6, configs: [:]),
            ]
        )
        #expect(plan.missing.isEmpty)
        #expect(plan.matching == ["c"])
        #expect(
            plan.drift.map(\.description) == [
                "a: partitions is 6, expected 12",
                "b: cleanup.policy is delete, expected compact",
            ]
        )
    }

    @Test("unknown configs are not drift; policy lists compare as sets")
    func unknownConfigs() {
        let definitions = [
            TopicDefinition(
                name: "x",
                partitions: 1,
                replicationFactor: 1,
                configs: ["cleanup.policy": "compact,delete"]
            )
        ]
        #expect(
            TopicPlan(definitions: definitions, existing: [ExistingTopic(name: "x", partitions: 1, configs: nil)]).drift
                .isEmpty
        )
        #expect(
            TopicPlan(
                definitions: definitions,
                existing: [ExistingTopic(name: "x", partitions: 1, configs: ["cleanup.policy": "delete, compact"])]
            ).drift.isEmpty
        )
    }

    @Test("the repository's topics/ loads, with the invariants the design needs")
    func repositoryTopics() throws {
        let topics = try TopicCatalogLoader(directory: URL(fileURLWithPath: "topics")).load()
        let byName = Dictionary(uniqueKeysWithValues: topics.map { ($0.name, $0) })
        let expected = [
            "attendee.events", "engagement.events", "leadsync.repartition", "leadsync.state.changelog",
            "leadsync.events.dlq",
            "marketo.commands", "marketo.commands.retry", "marketo.commands.dlq", "marketo.commands.ledger",
            "salesforce.commands", "salesforce.commands.retry", "salesforce.commands.dlq", "salesforce.commands.ledger",
        ]
        #expect(Set(byName.keys) == Set(expected))
        #expect(byName["leadsync.state.changelog"]?.cleanupPolicy == "compact")
        // A writer's command, retry and ledger topics share partition p: the ledgers protect partition p's commands.
        for destination in ["marketo", "salesforce"] {
            let writer = Set(
                ["", ".retry", ".ledger"].compactMap { byName["\(destination).commands\($0)"]?.partitions }
            )
            #expect(writer.count == 1, "\(destination): command, retry and ledger partitions differ")
            #expect(byName["\(destination).commands.ledger"]?.cleanupPolicy.contains("compact") == true)
        }
        // One fold task owns all of a lead's events and writes the same partition of every output.
        let foldPartitions = Set(
            [
                "attendee.events", "engagement.events", "leadsync.repartition", "leadsync.state.changelog",
                "marketo.commands", "salesforce.commands",
            ].compactMap { byName[$0]?.partitions }
        )
        #expect(foldPartitions.count == 1)
        for topic in topics {
            if let schema = topic.valueSchema {
                let url = URL(fileURLWithPath: "topics").appendingPathComponent(schema)
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
                #expect(object is [String: Any], "\(schema)")
            }
        }
    }

    @Test(
        "definition files that do not parse or are invalid name the file and the problem",
        arguments: [
            (
                "name: x\npartitions: 'many'\nreplicationFactor: 1\nconfigs: {}\ndescription: d\n",
                "field 'partitions' has the wrong type"
            ),
            ("partitions: 1\nreplicationFactor: 1\nconfigs: {}\ndescription: d\n", "missing required field 'name'"),
            (
                "name: 'bad name'\npartitions: 1\nreplicationFactor: 1\nconfigs: {}\ndescription: d\n",
                "is not a legal Kafka topic name"
            ),
            (
                "name: x\npartitions: 1\nreplicationFactor: 1\nconfigs: {cleanup.policy: shred}\ndescription: d\n",
                "cleanup.policy must be delete, compact or both"
            ),
            ("name: x\n  partitions: [\n", "not valid YAML"),
        ]
    )
    func invalidFiles(text: String, message: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("topic-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: TopicCatalogLoader.LoadError.self) { try TopicCatalogLoader.load(file: file) }
        #expect(error?.file == file.path)
        #expect(error?.reason.contains(message) == true, "\(error?.reason ?? "")")
    }
}
