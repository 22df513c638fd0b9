import Foundation
import Testing
import Topics

@Suite("Topic definitions built into the binary")
struct EmbeddedTopicDefinitionsTests {
    @Test("the embedded definitions are topics/*.yaml, every file, byte for byte")
    func embeddedEqualsTopicsDirectory() throws {
        let directory = URL(fileURLWithPath: "topics")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(EmbeddedTopicDefinitions.files.map(\.name)) == Set(files), "add a new topic file to the list")
        for (name, bytes) in EmbeddedTopicDefinitions.files {
            let onDisk = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(Data(bytes) == onDisk, "\(name) differs from its embedded copy")
        }
        #expect(try EmbeddedTopicDefinitions.load() == TopicCatalogLoader(directory: directory).load())
    }

    @Test("leadsync topics render works from any directory (built-in topics), and --topics-dir overrides them")
    func renderFromElsewhere() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-topics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let builtIn = try StrimziRenderTests.leadsync(["topics", "render", "--format", "strimzi"], in: elsewhere)
        #expect(builtIn.status == 0, "\(builtIn.errorOutput)")
        let fromDirectory = try StrimziRenderTests.leadsync(
            ["topics", "render", "--format", "strimzi", "--topics-dir", URL(fileURLWithPath: "topics").path],
            in: elsewhere
        )
        #expect(fromDirectory.status == 0)
        #expect(builtIn.output == fromDirectory.output && builtIn.output.contains("kind: KafkaTopic"))

        // A --topics-dir that is not there: exit status 2 and a hint, not a bare "file doesn't exist".
        let missing = try StrimziRenderTests.leadsync(
            ["topics", "render", "--format", "strimzi", "--topics-dir", "definitely-not-here"],
            in: elsewhere
        )
        #expect(missing.status == 2)
        #expect(missing.errorOutput.contains("pass --topics-dir with a directory of *.yaml definitions"))
        #expect(missing.errorOutput.contains("built into leadsync"))
    }
}
