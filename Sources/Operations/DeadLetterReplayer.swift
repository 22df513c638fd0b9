import Foundation
public import Kafka
public import LeadModel
public import Logging
import RecordHeaders

/// Re-publishes dead letters to the topic and partition they were consumed from (``DeadLetterRecord/originalTopic``
/// and ``DeadLetterRecord/originalPartition``), at most once per replay id.
///
/// A replay runs in three steps:
/// 1. **Read** the dead-letter topics up to their current ends and keep the dead letters that pass the filter,
///    leaving out the dead letters of this replay id's own output (a record it re-published that failed again).
/// 2. **Check** each target partition, from just after the oldest original offset among the dead letters bound
///    for it (a replayed record always lands after its original) to its end, for records carrying this replay id
///    in ``ReplayHeaders/id``; the dead letters named in their ``ReplayHeaders/source`` were re-published before
///    (by an earlier run, or by a run that crashed part-way) and are skipped. The target topics are the ledger:
///    nothing else has to be written for the guarantee to survive a crash.
/// 3. **Replay** the rest in the order of their original offsets within each target partition (a lead's commands
///    keep their order), at most ``DeadLetterReplayOptions/limit`` of them, at most
///    ``DeadLetterReplayOptions/recordsPerSecond``, with an idempotent producer.
///
/// A dry run does steps 1 and 2 and reports the plan. The dead letters of step 1 are held in memory until step 3:
/// narrow very large dead-letter topics with the filter.
public struct DeadLetterReplayer: Sendable {
    private let reader: DeadLetterReader
    private let producer: KafkaProducer
    private let settings: DeadLetterReader.Settings
    private let clock: @Sendable () -> Timestamp

    /// Records sent per producer call (when the rate limit allows that many).
    static let sendBatchSize = 500

    /// Creates a replayer.
    /// - Parameter clock: the time written in ``ReplayHeaders/replayedAt``.
    /// - Throws: ``DeadLetterError/Code/kafka`` when the client configuration is invalid.
    public init(
        client: KafkaClientConfiguration,
        logger: Logger,
        settings: DeadLetterReader.Settings = DeadLetterReader.Settings(),
        clock: @escaping @Sendable () -> Timestamp = DeadLetterReplayer.wallClock
    ) throws(DeadLetterError) {
        self.reader = try DeadLetterReader(client: client, logger: logger, settings: settings)
        do {
            self.producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: client, idempotent: true, lingerMilliseconds: 5),
                logger: logger
            )
        } catch {
            throw .kafka(error, while: "creating a producer")
        }
        self.settings = settings
        self.clock = clock
    }

    /// The system clock.
    public static let wallClock: @Sendable () -> Timestamp = {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Replays the dead letters of `topics` that pass `filter`.
    /// - Parameter progress: called at most once per ``DeadLetterReader/Settings/progressInterval`` per step.
    /// - Returns: what was replayed and skipped, and why. Records that failed to publish are listed in
    ///   ``DeadLetterReplaySummary/failed``; a rerun with the same replay id retries exactly those.
    /// - Throws: ``DeadLetterError`` when a topic is missing or Kafka fails while reading.
    public func replay(
        from topics: [String],
        matching filter: DeadLetterFilter,
        options: DeadLetterReplayOptions,
        progress: ((DeadLetterReplayProgress) -> Void)? = nil
    ) async throws(DeadLetterError) -> DeadLetterReplaySummary {
        let started = ContinuousClock.now
        var summary = DeadLetterReplaySummary(replayId: options.replayId, isDryRun: options.isDryRun)
        var report = ReplayProgressReport(interval: settings.progressInterval, callback: progress)

        // 1. Read.
        var candidates: [DeadLetterRecord] = []
        let read = try await reader.read(
            topics,
            matching: filter,
            progress: { read in
                report.current.scanned = read.scanned
                report.current.matched = read.matched
                report.send()
            },
            { (letter) throws(DeadLetterError) -> Bool in
                if letter.replayId == options.replayId {
                    summary.ownDeadLetters += 1
                } else {
                    candidates.append(letter)
                }
                return true
            }
        )
        summary.scanned = read.scanned
        summary.matched = read.matched

        // Where each goes.
        let targetTopics = Set(candidates.compactMap(\.originalTopic))
        let partitionCounts = try await existingPartitionCounts(Array(targetTopics))
        var routed: [(letter: DeadLetterRecord, target: TopicPartition)] = []
        for letter in candidates {
            switch Self.route(of: letter, partitionCounts: partitionCounts) {
            case .to(let target):
                routed.append((letter, target))
            case .unroutable(let reason):
                summary.unroutable.append(DeadLetterReplaySummary.Skipped(source: letter.reference, reason: reason))
            }
        }

        // 2. Check.
        report.current.phase = .checking
        report.force()
        let replayedBefore = try await sourcesReplayed(
            under: options.replayId,
            into: routed,
            report: &report,
            checked: &summary.checkedRecords
        )
        routed.removeAll { entry in
            guard replayedBefore.contains(entry.letter.reference.description) else { return false }
            summary.alreadyReplayed += 1
            return true
        }
        routed.sort { lhs, rhs in
            if lhs.target != rhs.target { return lhs.target < rhs.target }
            let left = lhs.letter.originalOffset ?? .max
            let right = rhs.letter.originalOffset ?? .max
            return left != right ? left < right : lhs.letter.reference < rhs.letter.reference
        }
        if let limit = options.limit, routed.count > limit {
            summary.leftByLimit = routed.count - limit
            routed.removeLast(routed.count - limit)
        }
        summary.planned = routed.map { entry in
            DeadLetterReplaySummary.Planned(
                source: entry.letter.reference,
                target: entry.target,
                tenant: entry.letter.tenant,
                reason: "\(entry.letter.errorClass ?? "?")/\(entry.letter.errorCode ?? "?")"
            )
        }
        report.current.planned = routed.count

        // 3. Replay.
        if !options.isDryRun {
            report.current.phase = .replaying
            report.force()
            try await publish(routed, options: options, summary: &summary, report: &report)
        }
        report.force()
        summary.elapsed = ContinuousClock.now - started
        return summary
    }

    // MARK: - Steps

    private func existingPartitionCounts(_ topics: [String]) async throws(DeadLetterError) -> [String: Int] {
        var counts: [String: Int] = [:]
        for topic in topics {
            do {
                counts.merge(try await reader.partitionCounts(of: [topic])) { first, _ in first }
            } catch  where error.code == .topicNotFound {
                continue  // Its dead letters are reported as unroutable.
            }
        }
        return counts
    }

    /// Where a dead letter is replayed to, or why it cannot be.
    enum Route: Hashable {
        case to(TopicPartition)
        case unroutable(String)
    }

    static func route(of letter: DeadLetterRecord, partitionCounts: [String: Int]) -> Route {
        guard let topic = letter.originalTopic, !topic.isEmpty else {
            return .unroutable("no \(DeadLetterHeaders.originalTopic) header: nowhere to replay to")
        }
        guard let count = partitionCounts[topic], count > 0 else {
            return .unroutable("its original topic '\(topic)' does not exist")
        }
        if let partition = letter.originalPartition {
            guard partition >= 0, partition < Int32(count) else {
                return .unroutable("its original partition \(topic)/\(partition) does not exist (\(count) partitions)")
            }
            return .to(TopicPartition(topic: topic, partition: partition))
        }
        guard let key = letter.record.key else {
            return .unroutable("no original partition and no key to choose one")
        }
        return .to(
            TopicPartition(topic: topic, partition: Murmur2Partitioner.partition(for: key, partitionCount: count))
        )
    }

    /// The sources of records already in the target partitions under `replayId`.
    private func sourcesReplayed(
        under replayId: String,
        into routed: [(letter: DeadLetterRecord, target: TopicPartition)],
        report: inout ReplayProgressReport,
        checked: inout Int
    ) async throws(DeadLetterError) -> Set<String> {
        var firstOriginal: [TopicPartition: Int64] = [:]
        for entry in routed {
            // A replayed record lands after its original; without an original offset, check from the start.
            let from = entry.letter.originalOffset.map { $0 + 1 } ?? 0
            firstOriginal[entry.target] = min(firstOriginal[entry.target] ?? from, from)
        }
        var ranges: [PartitionRange] = []
        for (partition, from) in firstOriginal.sorted(by: { $0.key < $1.key }) {
            let (low, high) = try await reader.watermarks(partition)
            // An original offset at or past the end belongs to an earlier incarnation of the topic (deleted and
            // created again): its replays can be anywhere, so the whole partition is checked.
            let start = from > high ? low : max(low, from)
            ranges.append(PartitionRange(partition: partition, start: start, end: high))
        }
        var sources: Set<String> = []
        let replayIdBytes = Array(replayId.utf8)
        try await reader.scan(ranges) { (record) throws(DeadLetterError) -> Bool in
            checked += 1
            report.current.checked = checked
            report.send()
            // Compare bytes: most records carry no replay headers at all.
            guard record.headers.contains(where: { $0.key == ReplayHeaders.id && $0.value == replayIdBytes }),
                let source = record.headers.string(for: ReplayHeaders.source)
            else { return true }
            sources.insert(source)
            return true
        }
        return sources
    }

    private func publish(
        _ routed: [(letter: DeadLetterRecord, target: TopicPartition)],
        options: DeadLetterReplayOptions,
        summary: inout DeadLetterReplaySummary,
        report: inout ReplayProgressReport
    ) async throws(DeadLetterError) {
        var limiter = options.recordsPerSecond.map { ReplayRateLimiter(recordsPerSecond: $0) }
        var next = 0
        while next < routed.count {
            if Task.isCancelled {
                summary.wasInterrupted = true
                return
            }
            let wanted = min(Self.sendBatchSize, routed.count - next)
            let count = await limiter?.take(upTo: wanted) ?? wanted
            guard count > 0 else {
                summary.wasInterrupted = true
                return
            }
            let batch = routed[next..<next + count]
            next += count
            let now = clock()
            let records = batch.map { $0.letter.replayRecord(replayId: options.replayId, target: $0.target, at: now) }
            let reports: [DeliveryReport]
            do {
                reports = try await producer.send(records)
            } catch {
                // Not even enqueued (a fatal producer error): what was not reported delivered may be retried by a
                // rerun with the same replay id, which finds the delivered ones in the target partitions.
                throw .kafka(
                    error,
                    while: "replaying to \(Set(batch.map(\.target.topic)).sorted().joined(separator: ", "))"
                )
            }
            for (entry, delivery) in zip(batch, reports) {
                if let error = delivery.error {
                    summary.failed.append(
                        DeadLetterReplaySummary.Skipped(
                            source: entry.letter.reference,
                            reason: "not delivered: \(error.name)"
                        )
                    )
                } else {
                    summary.replayed += 1
                }
            }
            report.current.replayed = summary.replayed
            report.current.failed = summary.failed.count
            report.send()
        }
    }
}
