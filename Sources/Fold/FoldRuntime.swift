import Basics
import Foundation
public import Kafka
public import LeadModel
public import Logging
public import ServiceLifecycle
import Synchronization

/// The fold role: consumes both input topics (and the repartition topic) as one consumer group, folds each lead's
/// events into its state, and writes changelog records, commands and dead letters in Kafka transactions with the
/// consumed offsets.
///
/// A `Service`: `run()` folds until graceful shutdown or cancellation, then commits the open transaction,
/// writes state snapshots and leaves the group. Exactly-once on the mock cluster too: see docs/exactly-once.md.
public final class FoldRuntime: Service, Sendable {
    private let configuration: FoldConfiguration
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let statusBox = FoldStatusBox()

    /// - Parameters:
    ///   - configuration: the cluster, topics, group, tenants and tuning of the fold.
    ///   - logger: receives the fold's logs and those of its Kafka clients.
    ///   - clock: wall-clock time for the settle timer (tests may pass their own).
    public init(
        configuration: FoldConfiguration,
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = FoldRuntime.wallClock
    ) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// The current time in milliseconds since the epoch.
    public static let wallClock: @Sendable () -> Timestamp = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(millisecondsSinceEpoch: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    /// What the fold is doing now (for `/readyz` and progress displays).
    public var status: FoldStatus { statusBox.withLock { $0 } }

    /// Folds until graceful shutdown or cancellation.
    /// - Throws: ``FoldError`` for what the fold cannot recover from by itself (a fatal Kafka error such as being
    ///   fenced by another instance with the same transactional id, mismatched topic partition counts, corrupt
    ///   state). The process should exit and be restarted; the next owner of its partitions restores them.
    public func run() async throws {
        // Off the cooperative pool: a full produce queue blocks the fold's thread (FoldExecutor), nobody else's.
        try await withTaskExecutorPreference(FoldExecutor.shared) {
            try await self.runLoop()
        }
    }

    private func runLoop() async throws {
        let loop = try await FoldLoop.start(
            configuration: configuration,
            logger: logger,
            clock: clock,
            status: statusBox
        )
        let stopping = Atomic(false)
        do {
            try await withGracefulShutdownHandler {
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    try await loop.step()
                }
            } onGracefulShutdown: {
                stopping.store(true, ordering: .relaxed)
            }
            try await loop.stop()
        } catch {
            await loop.abandon()
            throw error
        }
    }
}

/// A snapshot of what the fold is doing.
public struct FoldStatus: Sendable, Hashable {
    /// Partition numbers whose state is restored and which are being folded.
    public var activePartitions: [Int32] = []
    /// Partition numbers assigned and still restoring.
    public var restoringPartitions: [Int32] = []
    /// Input records folded (or dead-lettered, or re-keyed) since start.
    public var inputRecords = 0
    /// Transactions committed since start.
    public var committedTransactions = 0
    /// Input records folded in the open transaction (0 when everything folded so far is committed).
    public var uncommittedInputRecords = 0
    /// Changelog records read by restores since start.
    public var restoredRecords = 0
    /// Seconds spent restoring partitions since start.
    public var restoreSeconds = 0.0
    /// When the first input record was folded.
    public var firstInputAt: ContinuousClock.Instant?
    /// When the last transaction committed.
    public var lastCommitAt: ContinuousClock.Instant?
    /// Whether the fold is a group member with every assigned partition restored.
    public var isReady: Bool { restoringPartitions.isEmpty && !activePartitions.isEmpty }
}

/// The published ``FoldStatus``, shared by the runtime and its parts.
final class FoldStatusBox: Sendable {
    private let status = Mutex(FoldStatus())

    func withLock<T>(_ body: (inout FoldStatus) -> T) -> T {
        status.withLock { body(&$0) }
    }
}
