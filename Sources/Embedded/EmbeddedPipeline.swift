public import Config
public import Delivery
public import Fold
public import Foundation
public import Kafka
public import LeadModel
public import Logging
import Roles
public import SandboxMarketo
public import SandboxSalesforce
public import Simulation

// MARK: - EmbeddedPipeline

/// Everything of `leadsync run`'s embedded default in one process: librdkafka's mock cluster with the topics, the
/// Marketo and Salesforce sandboxes provisioned as docs/crm-setup.md describes, the fold and both writers, fed by
/// the simulation; then a check that the sandboxes hold exactly the state the fold computed.
public final class EmbeddedPipeline: Sendable {
    /// How big a run, and where it keeps its files.
    public struct Options: Sendable {
        /// Simulated leads.
        public var leads: Int
        /// Events per lead.
        public var eventsPerLead: Int
        /// The simulation's seed.
        public var seed: UInt64
        /// Out-of-order, duplicate and poison rates of the input.
        public var rates: SimulationRates
        /// One input topic produced ahead of the other (`nil`: as generated).
        public var topicSkew: TopicSkew?
        /// Partitions of every topic.
        public var partitions: Int
        /// State snapshots, writer caches and ledgers.
        public var stateDirectory: URL
        /// The longest the run may take before it reports what is unfinished.
        public var timeout: Duration

        /// Creates options.
        public init(
            leads: Int = 2_000,
            eventsPerLead: Int = 8,
            seed: UInt64 = 1,
            rates: SimulationRates = SimulationRates(outOfOrder: 0.05, duplicate: 0.02, poison: 0.005),
            topicSkew: TopicSkew? = TopicSkew(leading: .engagement, records: 2_000),
            partitions: Int = 6,
            stateDirectory: URL,
            timeout: Duration = .seconds(900)
        ) {
            self.leads = leads
            self.eventsPerLead = eventsPerLead
            self.seed = seed
            self.rates = rates
            self.topicSkew = topicSkew
            self.partitions = partitions
            self.stateDirectory = stateDirectory
            self.timeout = timeout
        }
    }

    /// The running parts (for metrics, probes and tests).
    public let cluster: MockCluster
    public let client: KafkaClientConfiguration
    public let marketo: MarketoSandbox
    public let salesforce: SalesforceSandbox
    public let fold: FoldRuntime
    public let writers: [Destination: DeliveryRuntime]
    /// The configuration with the tenants pointed at the sandboxes.
    public let config: LeadSyncConfig
    let options: Options
    let logger: Logger
    let sandboxTasks: [Task<Void, any Error>]

    /// Starts the cluster and the sandboxes and prepares the roles (they start in ``run(handlesSignals:progress:)``).
    public static func start(config: LeadSyncConfig, options: Options, logger: Logger) async throws -> EmbeddedPipeline
    {
        let cluster = try MockCluster(brokers: 1, logger: logger)
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "leadsync-run")
        let foldTopics = FoldConfiguration.Topics.standard
        var topics = foldTopics.inputs + [foldTopics.changelog, foldTopics.deadLetter]
        for destination in [Destination.marketo, .salesforce] {
            let writerTopics = DeliveryConfiguration.Topics.standard(for: destination)
            topics += writerTopics.all
        }
        for topic in Set(topics) { try cluster.createTopic(topic, partitions: options.partitions) }

        let quiet = Logger(label: "leadsync.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        let marketo = try MarketoSandbox(setup: .standard(), options: MarketoSandboxOptions(logger: quiet))
        let salesforce = try SalesforceSandbox(setup: .standard(), options: .init(logger: quiet))
        let sandboxTasks = [Task { try await marketo.run() }, Task { try await salesforce.run() }]
        let marketoURL = try await marketo.baseURL()
        let salesforceURL = try await salesforce.waitUntilRunning()

        var config = config
        for index in config.tenants.indices {
            config.tenants[index].marketo?.baseURL = marketoURL
            config.tenants[index].salesforce?.loginURL = salesforceURL
            config.tenants[index].salesforce?.instanceURL = nil
        }
        let fold = FoldRuntime(
            configuration: FoldRole.configuration(
                config: config,
                client: client,
                instanceId: "run",
                stateDirectory: options.stateDirectory.appendingPathComponent("fold").path,
                snapshotInterval: .seconds(30),
                sessionTimeout: .seconds(6)
            ),
            logger: logger
        )
        var writers: [Destination: DeliveryRuntime] = [:]
        for destination in [Destination.marketo, .salesforce]
        where config.tenants.contains(where: { $0.destinations.contains(destination) }) {
            writers[destination] = try WriterRole.runtime(
                for: destination,
                config: config,
                client: client,
                instanceId: "run",
                directory: options.stateDirectory.appendingPathComponent("writer-\(destination.rawValue)"),
                sessionTimeout: .seconds(6),
                logger: logger
            )
        }
        return EmbeddedPipeline(
            cluster: cluster,
            client: client,
            marketo: marketo,
            salesforce: salesforce,
            fold: fold,
            writers: writers,
            config: config,
            options: options,
            logger: logger,
            sandboxTasks: sandboxTasks
        )
    }

    private init(
        cluster: MockCluster,
        client: KafkaClientConfiguration,
        marketo: MarketoSandbox,
        salesforce: SalesforceSandbox,
        fold: FoldRuntime,
        writers: [Destination: DeliveryRuntime],
        config: LeadSyncConfig,
        options: Options,
        logger: Logger,
        sandboxTasks: [Task<Void, any Error>]
    ) {
        self.cluster = cluster
        self.client = client
        self.marketo = marketo
        self.salesforce = salesforce
        self.fold = fold
        self.writers = writers
        self.config = config
        self.options = options
        self.logger = logger
        self.sandboxTasks = sandboxTasks
    }

    /// Stops the sandboxes (the cluster goes with the object).
    public func shutdown() {
        for task in sandboxTasks { task.cancel() }
    }
}
