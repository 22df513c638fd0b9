public import Foundation
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

// MARK: - DeliveryRuntime

/// A writer: consumes `<dest>.commands` and `<dest>.commands.retry` as one consumer group, hands each tenant's
/// commands to the ``DeliverySink`` in batches, and routes what failed to the retry or dead-letter topic.
///
/// Delivery rules (docs/architecture.md, "Delivery"):
/// - offsets are committed only after a command was delivered, skipped, or routed (and its routed record
///   acknowledged by Kafka), so a crash repeats work and never loses it;
/// - a tenant has at most one batch in flight, and a batch carries only the newest command of each lead and key,
///   so one lead's commands never race; a retried command older than one delivered since is dropped (see
///   ``DeliveryLedger``);
/// - retries wait in the retry topic with a not-before header: the runtime holds them in memory until due,
///   without holding up fresh commands;
/// - a spent daily quota parks every tenant of that subscription until it resets: a short park holds their
///   commands in memory (offsets uncommitted), a long one sends them to the retry topic with that time; other
///   subscriptions keep flowing;
/// - the ledgers (per-lead order, intents and outcomes of calls that append, routed marks) live in the ledger
///   topic, partition by command partition, and are loaded before a partition's commands are delivered.
public final class DeliveryRuntime: Service, Sendable {
    private let configuration: DeliveryConfiguration
    private let sink: any DeliverySink
    private let logger: Logger
    let state: DeliveryStateBox
    let metrics: DeliveryMetrics

    /// Creates a runtime; nothing connects before ``run()``.
    public init(configuration: DeliveryConfiguration, sink: any DeliverySink, logger: Logger) {
        self.configuration = configuration
        self.sink = sink
        self.logger = logger
        self.state = DeliveryStateBox()
        self.metrics = DeliveryMetrics(destination: sink.destination.rawValue)
    }

    /// What the writer has done so far.
    public var status: DeliveryStatus {
        state.withLock { state in
            var status = state.status
            status.unfinished = state.offsets.unfinished
            status.delayed = state.delayed.count
            status.parkedSubscriptions = state.parked.filter { $0.value > Date() }
            status.assignedPartitions = state.assigned.count
            return status
        }
    }

    /// Delivers until graceful shutdown or cancellation, then finishes the batches in flight, commits and leaves
    /// the group. Cancellation does not reach a batch in flight: its calls complete, so their results are known.
    /// - Throws: ``DeliveryError`` when the writer cannot start (missing or mismatched topics, Kafka client) or
    ///   Kafka fails fatally.
    public func run() async throws {
        let engine = try DeliveryEngine(
            configuration: configuration,
            sink: sink,
            logger: logger,
            state: state,
            metrics: metrics
        )
        try await engine.run()
    }
}

// MARK: - DeliveryError

/// Why a writer stopped.
public enum DeliveryError: Error, Sendable, CustomStringConvertible {
    /// The topics do not fit together (missing, or partition counts that differ).
    case topology(String)
    /// Kafka failed (creating a client, subscribing, a fatal error while polling).
    case kafka(KafkaError, context: String)

    public var description: String {
        switch self {
        case .topology(let message): "writer topics: \(message)"
        case .kafka(let error, let context): "\(context): \(error)"
        }
    }
}

// MARK: - DeliveryStateBox

/// The one lock around ``DeliveryState``, shared by the runtime (status) and its engine.
final class DeliveryStateBox: Sendable {
    private let mutex = Mutex(DeliveryState())

    func withLock<Result>(_ body: (inout sending DeliveryState) throws -> sending Result) rethrows -> sending Result {
        try mutex.withLock(body)
    }
}

// MARK: - DeliveryState

/// The runtime's shared state, behind one lock: the poll loop, the batch tasks and the rebalance hook use it.
struct DeliveryState: Sendable {
    var offsets = OffsetTracker()
    /// Commands ready for delivery, per tenant, oldest first.
    var queues: [String: [PendingCommand]] = [:]
    /// Tenants with a batch in flight.
    var busyTenants: Set<String> = []
    /// Commands taken into batches, per source partition.
    var inFlight: [TopicPartition: Int] = [:]
    var delayed = DelayQueue()
    /// Subscription -> parked until.
    var parked: [String: Date] = [:]
    var limiters: [String: CallLimiter] = [:]
    var assigned: Set<TopicPartition> = []
    /// Partitions of the command topic (from metadata at start; 0 when unknown).
    var commandPartitionCount = 0
    /// Partition numbers assigned whose ledgers are not loaded yet (their partitions stay paused).
    var pendingLedgerLoads: Set<Int32> = []
    var pausedCommands = false
    var pausedRetries = false
    var status = DeliveryStatus()

    var queuedCount: Int { queues.values.reduce(0) { $0 + $1.count } }

    /// Drops queued and delayed commands of partitions this member no longer owns.
    mutating func forget(_ partitions: Set<TopicPartition>) {
        for tenant in Array(queues.keys) {
            queues[tenant]?.removeAll { partitions.contains($0.source) }
            if queues[tenant]?.isEmpty == true { queues[tenant] = nil }
        }
        delayed.removeAll { partitions.contains($0.source) }
    }

    /// This member's part of the command topic: its part of every tenant's limits.
    func instanceShare(commandTopic: String) -> Double {
        guard commandPartitionCount > 0 else { return 1 }
        let owned = assigned.count { $0.topic == commandTopic }
        return Double(max(owned, 1)) / Double(commandPartitionCount)
    }

    func inFlightCount(_ partitions: Set<TopicPartition>) -> Int {
        partitions.reduce(0) { $0 + (inFlight[$1] ?? 0) }
    }
}
