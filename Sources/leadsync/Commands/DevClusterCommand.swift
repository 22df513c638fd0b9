import ArgumentParser
import DevCluster
import Foundation
import Hummingbird
import ServiceLifecycle
import Topics

struct DevClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-cluster",
        abstract: "Serve a local Kafka cluster (librdkafka's mock) to other processes, with LeadSync's topics.",
        discussion: """
            The brokers listen on ephemeral loopback ports; their address and the control endpoint are printed and \
            written to the state file, which `leadsync topics apply --dev-cluster` and the tests read. Stops on \
            SIGINT or SIGTERM. The mock keeps about 5 MB per partition and does not compact.
            """
    )

    @Option(help: "Number of brokers (fault injection can take one down).")
    var brokers = 1

    @Option(help: "A directory of topic definitions (*.yaml) to create at start instead of the built-in ones.")
    var topicsDir: String?

    @Flag(help: "Start with no topics.")
    var noTopics = false

    @Option(help: "Where to write the bootstrap servers and control URL (JSON).")
    var stateFile = ".leadsync/dev-cluster.json"

    @Option(help: "Port of the control endpoint (0: any free port).")
    var controlPort = 0

    @Flag(help: "Stop when standard input closes (for a supervising process: its exit stops the cluster).")
    var stopOnStdinClose = false

    func validate() throws {
        guard (1...9).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 9") }
    }

    func run() async throws {
        try await runReportingErrors {
            let logger = makeLogger("leadsync.dev-cluster")
            let source = TopicDefinitionSource(topicsDirectory: topicsDir)
            let definitions = noTopics ? [] : try source.load()
            let cluster = try DevCluster(brokers: brokers, logger: logger)
            let created = try await cluster.create(definitions)
            let stateURL = URL(fileURLWithPath: stateFile)
            let bootstrap = cluster.bootstrapServers
            let topicsNote = noTopics ? "none" : "\(created.count) created from \(source)"
            let application = DevClusterServer.makeApplication(
                cluster: cluster,
                port: controlPort,
                logger: logger
            ) { port in
                let state = DevClusterControlClient.State(
                    bootstrapServers: bootstrap,
                    controlURL: "http://127.0.0.1:\(port)",
                    pid: ProcessInfo.processInfo.processIdentifier
                )
                do {
                    try FileManager.default.createDirectory(
                        at: stateURL.deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                    try JSONEncoder().encode(state).write(to: stateURL, options: .atomic)
                } catch {
                    logger.error(
                        "cannot write the state file",
                        metadata: ["file": "\(stateURL.path)", "error": "\(error)"]
                    )
                }
                printLine("leadsync dev-cluster: \(brokers) broker(s) at \(bootstrap)")
                printLine(
                    "  control endpoint: \(state.controlURL) (GET / lists its routes: topics, broker faults)"
                )
                printLine("  topics: \(topicsNote)")
                printLine("  state file: \(stateURL.path)")
                printLine("  try: kcat -b \(bootstrap) -L")
                printLine("  produce with kcat -X partitioner=murmur2_random (LeadSync's partitioner; docs/cli.md)")
                printLine("Stop with Ctrl-C.")
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [application],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            defer { try? FileManager.default.removeItem(at: stateURL) }
            if stopOnStdinClose {
                Thread.detachNewThread {
                    _ = FileHandle.standardInput.readDataToEndOfFile()
                    kill(getpid(), SIGTERM)
                }
            }
            try await group.run()
            printLine("leadsync dev-cluster: stopped")
        }
    }
}
