import Foundation
import LeadModel
import Testing

/// The command JSON against its contract in `topics/schemas/command.<kind>.v1.json`: every property the codec
/// writes is declared there, and everything the schema requires is written.
@Suite("Command JSON schemas")
struct CommandSchemaTests {
    /// `topics/schemas` of the repository this test file lives in (symlinks resolved, so it also works from a
    /// development package that links the test directory).
    static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("topics/schemas")

    static func schema(for kind: CommandKind) throws -> [String: Any] {
        let url = schemaDirectory.appendingPathComponent("command.\(kind.rawValue).v1.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any])
    }

    @Test("every emitted command matches its kind's schema", arguments: CommandKind.allCases)
    func matchesSchema(kind: CommandKind) throws {
        let schema = try Self.schema(for: kind)
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(schema["properties"] as? [String: Any])
        let required = try #require(schema["required"] as? [String])
        let metricNames = try #require(
            ((properties["metrics"] as? [String: Any])?["properties"] as? [String: Any]).map { Set($0.keys) }
                ?? (kind == .memberStatus ? [] : nil)
        )

        let commands = try CommandCodecTests.commands().filter { $0.kind == kind }
        #expect(!commands.isEmpty)
        for command in commands {
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(CommandCodec.encode(command))) as? [String: Any]
            )
            #expect(
                Set(json.keys).isSubset(of: Set(properties.keys)),
                "undeclared: \(Set(json.keys).subtracting(properties.keys))"
            )
            #expect(Set(required).isSubset(of: Set(json.keys)), "missing: \(Set(required).subtracting(json.keys))")
            #expect((properties["kind"] as? [String: Any])?["const"] as? String == kind.rawValue)
            if let metrics = json["metrics"] as? [String: Any] {
                #expect(Set(metrics.keys).isSubset(of: metricNames))
            }
        }
        if kind != .memberStatus {
            #expect(metricNames == Set(EngagementMetric.allCases.map(\.key)), "the schema lists exactly the metrics")
        }
    }
}
