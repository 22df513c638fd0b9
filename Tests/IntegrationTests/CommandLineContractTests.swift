import Foundation
import Kafka
import Logging
import Roles
import TestSupport
import Testing

/// What every `leadsync` command promises an operator: a version, one table of exit statuses, built-in topics that
/// work from any directory, stable instance ids.
@Suite("The leadsync command line: version, exit statuses, any directory, instance ids", .serialized)
struct CommandLineContractTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leadsync-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("--version prints the release that overlays/prod deploys")
    func version() throws {
        let result = try LeadSyncBinary.run(["--version"])
        #expect(result.status == 0)
        let version = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let overlay = try String(contentsOfFile: "k8s/overlays/prod/kustomization.yaml", encoding: .utf8)
        #expect(overlay.contains("newTag: \(version)"), "prod deploys another tag than leadsync \(version)")
    }

    @Test("exit statuses: 64 for a bad command line, 2 when the command cannot run, 1 for drift")
    func exitStatuses() throws {
        #expect(try LeadSyncBinary.run(["topics", "apply", "--no-such-option"]).status == 64)
        #expect(try LeadSyncBinary.run(["reconcile", "marketo"]).status == 64, "--tenant is required")
        #expect(try LeadSyncBinary.run(["doctor", "--crm", "hubspot"]).status == 64)
        #expect(try LeadSyncBinary.run(["doctor", "--timeout", "0"]).status == 64)
        #expect(try LeadSyncBinary.run(["doctor", "--config", "/nonexistent/leadsync.yaml"]).status == 2)
        // A secret on the command line is refused, with where it goes instead.
        for command in [["topics", "apply"], ["dlq", "list"]] {
            let secret = try LeadSyncBinary.run(
                command + ["--bootstrap-servers", "127.0.0.1:1", "--kafka-property", "sasl.password=hunter2"]
            )
            #expect(secret.status == 64)
            #expect(secret.errorOutput.contains("LEADSYNC_KAFKA_PROPERTY_SASL_PASSWORD"), "\(secret.errorOutput)")
            #expect(!secret.errorOutput.contains("hunter2"))
        }
        let unreadable = try LeadSyncBinary.run(["fold", "--config", "/nonexistent/leadsync.yaml"])
        #expect(unreadable.status == 2)
        #expect(unreadable.errorOutput.contains("cannot read /nonexistent/leadsync.yaml"))
        // Drift: a directory whose render differs from the built-in topics.
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let check = try LeadSyncBinary.run(
            ["topics", "render", "--format", "strimzi", "--output-dir", work.path, "--check"])
        #expect(check.status == 1, "\(check.output)")
        // reconcile takes --json like dlq (no --format).
        let help = try LeadSyncBinary.run(["reconcile", "marketo", "--help"])
        #expect(help.output.contains("--json") && !help.output.contains("--format"))
    }

    @Test("dev-cluster started in an empty directory creates the built-in topics; topics apply takes a prefix")
    func devClusterFromAnyDirectory() throws {
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let cluster = try DevClusterProcess(workingDirectory: work)
        defer { cluster.stop() }
        let listing = try runTool(DevClusterTests.kcat, ["-b", cluster.state.bootstrapServers, "-L", "-J"])
        #expect(listing.status == 0)
        for topic in ["attendee.events", "leadsync.state.changelog", "salesforce.commands.dlq"] {
            #expect(listing.output.contains("\"topic\":\"\(topic)\""))
        }
        let applied = try LeadSyncBinary.run(
            ["topics", "apply", "--dev-cluster", cluster.stateFilePath, "--topic-prefix", "staging-"],
            in: work
        )
        #expect(applied.status == 0, "\(applied.output)\(applied.errorOutput)")
        #expect(applied.output.contains("created   staging-attendee.events"))
        #expect(applied.output.contains("summary: 13 created, 0 unchanged, 0 drift"))
        let again = try LeadSyncBinary.run(
            ["topics", "apply", "--dev-cluster", cluster.stateFilePath, "--topic-prefix", "staging-"],
            in: work
        )
        #expect(again.output.contains("summary: 0 created, 13 unchanged, 0 drift"))

        // --config names the cluster for simulate and topics apply (no --bootstrap-servers, no --dev-cluster).
        let configFile = work.appendingPathComponent("leadsync.yaml")
        try """
        kafka:
          bootstrapServers: \(cluster.state.bootstrapServers)
        tenants:
          - tenant: acme
            destinations: [marketo]
            events:
              summit-2026: { marketoProgramId: 1001 }
            marketo: { munchkinId: 123-ABC-456, clientId: c, clientSecret: { env: UNUSED_SECRET } }
        """.write(to: configFile, atomically: true, encoding: .utf8)
        let simulated = try LeadSyncBinary.run(
            ["simulate", "--config", configFile.path, "--leads", "5", "--tenant", "acme=summit-2026"],
            in: work
        )
        #expect(simulated.status == 0, "\(simulated.output)\(simulated.errorOutput)")
        let events = try runTool(
            DevClusterTests.kcat,
            ["-b", cluster.state.bootstrapServers, "-C", "-t", "attendee.events", "-e", "-f", "%k\n"]
        )
        #expect(events.output.contains("acme/"), "simulate --config did not produce to the configured cluster")
        let unreachable = work.appendingPathComponent("unreachable.yaml")
        try String(contentsOf: configFile, encoding: .utf8)
            .replacingOccurrences(of: cluster.state.bootstrapServers, with: "127.0.0.1:1")
            .write(to: unreachable, atomically: true, encoding: .utf8)
        let apply = try LeadSyncBinary.run(["topics", "apply", "--config", unreachable.path, "--dry-run"], in: work)
        #expect(apply.status == 2, "topics apply --config must use the configuration's cluster: \(apply.output)")

        // docs/cli.md's kcat recipe: with -X partitioner=murmur2_random a lead key lands where LeadSync puts it.
        let keys = (0..<40).map { "acme/lead-\($0)@example.com" }
        let produced = try runTool(
            DevClusterTests.kcat,
            [
                "-b", cluster.state.bootstrapServers, "-P", "-t", "staging-attendee.events", "-K", "|",
                "-X", "partitioner=murmur2_random",
            ],
            input: Data(keys.map { "\($0)|{}" }.joined(separator: "\n").utf8 + [0x0A])
        )
        #expect(produced.status == 0, "\(produced.errorOutput)")
        let consumed = try runTool(
            DevClusterTests.kcat,
            ["-b", cluster.state.bootstrapServers, "-C", "-t", "staging-attendee.events", "-e", "-f", "%k %p\n"]
        )
        var partitions: [String: Int32] = [:]
        for line in consumed.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let partition = Int32(parts[1]) { partitions[String(parts[0])] = partition }
        }
        #expect(partitions.count == keys.count)
        for key in keys {
            #expect(partitions[key] == Murmur2Partitioner.partition(for: Array(key.utf8), partitionCount: 12), "\(key)")
        }
    }

    @Test("with --bootstrap-servers, LEADSYNC_KAFKA_PROPERTY_* reach the client (a password needs no command line)")
    func environmentPropertiesReachTheClient() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["LEADSYNC_CONFIG"] = nil
        environment["LEADSYNC_KAFKA_PROPERTY_SOCKET_TIMEOUT_MS"] = "not-a-number"
        let result = try LeadSyncBinary.run(
            ["topics", "apply", "--bootstrap-servers", "127.0.0.1:1", "--dry-run"],
            environment: environment
        )
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("socket.timeout.ms"), "\(result.errorOutput)")
    }

    @Test("the default instance id is stable per host and role; the environment wins")
    func defaultInstanceId() {
        #expect(RoleInstance.defaultId(role: "fold", environment: [:], hostName: "node-7") == "node-7-fold")
        #expect(
            RoleInstance.defaultId(role: "writer-marketo", environment: [:], hostName: "node-7")
                == "node-7-writer-marketo"
        )
        #expect(RoleInstance.defaultId(role: "fold", environment: ["HOSTNAME": "pod-1"], hostName: "n") == "pod-1")
        #expect(
            RoleInstance.defaultId(
                role: "fold",
                environment: ["HOSTNAME": "pod-1", "LEADSYNC_INSTANCE_ID": "fold-0"],
                hostName: "n"
            )
                == "fold-0"
        )
        #expect(RoleInstance.defaultId(role: "fold", environment: ["HOSTNAME": ""], hostName: "") == "localhost-fold")
    }
}
