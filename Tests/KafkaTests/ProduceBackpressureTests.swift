import Dispatch
import Foundation
import Logging
import Synchronization
import Testing

@testable import Kafka

/// A full local produce queue is waited out by suspending, resumed by the producer's poll thread.
@Suite("Backpressure on a full produce queue")
struct ProduceBackpressureTests {
    /// A producer whose local queue holds `maxMessages` records; records wait up to a minute for a broker.
    private static func producer(
        _ cluster: MockCluster,
        maxMessages: Int,
        queueFullTimeout: Duration = .seconds(60),
        waits: WaitLog? = nil
    ) throws -> KafkaProducer {
        var client = TestCluster.client(cluster)
        client.additionalProperties["queue.buffering.max.messages"] = String(maxMessages)
        var onWait: (@Sendable (Duration) -> Void)?
        if let waits { onWait = { waits.record($0) } }
        return try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: client,
                lingerMilliseconds: 1,
                messageTimeoutMilliseconds: 60_000,
                queueFullTimeout: queueFullTimeout
            ),
            logger: TestCluster.logger,
            onQueueFullWait: onWait
        )
    }

    @Test("many concurrent sends through a queue of 8 records are all delivered, once each")
    func concurrentSendsThroughATinyQueue() async throws {
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("tiny-queue")
        try cluster.createTopic(topic, partitions: 3)
        // Slow acknowledgements keep the queue full for most of the run.
        try cluster.setRoundTripTime(broker: 1, .milliseconds(20))
        let waits = WaitLog()
        let producer = try Self.producer(cluster, maxMessages: 8, waits: waits)

        let senders = 40
        let perSender = 25
        let reports = try await withThrowingTaskGroup(of: [DeliveryReport].self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var reports: [DeliveryReport] = []
                    for index in 0..<perSender {
                        let value = bytes("\(sender)-\(index)")
                        reports.append(try await producer.send(OutgoingRecord(topic: topic, key: value, value: value)))
                    }
                    return reports
                }
            }
            var all: [DeliveryReport] = []
            for try await reports in group { all += reports }
            return all
        }
        #expect(reports.count == senders * perSender)
        #expect(reports.allSatisfy { $0.isDelivered })
        // 40 senders against 8 slots: sends did find the queue full and waited.
        #expect(waits.count > 0)

        try cluster.setRoundTripTime(broker: 1, .zero)
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let records = try await consumer.records(count: senders * perSender)
        let extra = try await consumer.drain(for: .milliseconds(500))
        let values = (records + extra).compactMap { text($0.value) }
        let expected = (0..<senders).flatMap { sender in (0..<perSender).map { "\(sender)-\($0)" } }
        #expect(values.count == expected.count)
        #expect(Set(values) == Set(expected))
        try await consumer.close()
    }

    @Test("sends waiting on a full queue hold no thread: other tasks run, and the sends finish once the broker is back")
    func waitingSendsLeaveThePoolFree() async throws {
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("pool-free")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Self.producer(cluster, maxMessages: 2)
        _ = try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("warm-up")))
        try cluster.setBrokerDown(1)

        // Two records fill the queue; more senders than the machine has cores then wait for room.
        let waitingSenders = 2 * ProcessInfo.processInfo.activeProcessorCount + 6
        let finished = WaitLog()
        let sends = (0..<(waitingSenders + 2)).map { index in
            Task {
                defer { finished.record(.zero) }
                return try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("r\(index)")))
            }
        }
        // With the senders blocking their threads, this test's own task could not resume here.
        try await Task.sleep(for: .milliseconds(500))
        let probe = await Task { "ran" }.value
        #expect(probe == "ran")
        #expect(finished.count == 0)

        try cluster.setBrokerUp(1)
        var delivered = 0
        for send in sends {
            if try await send.value.isDelivered { delivered += 1 }
        }
        #expect(delivered == waitingSenders + 2)
    }

    @Test("a queue that stays full fails the send with queueFull, naming the limit and the setting to raise")
    func fullQueueTimesOut() async throws {
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("full-timeout")
        try cluster.createTopic(topic, partitions: 1)
        let waits = WaitLog()
        let producer = try Self.producer(cluster, maxMessages: 2, queueFullTimeout: .milliseconds(500), waits: waits)
        _ = try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("warm-up")))
        try cluster.setBrokerDown(1)

        let filling = Task {
            try await producer.send((0..<2).map { OutgoingRecord(topic: topic, key: nil, value: bytes("f\($0)")) })
        }
        try await Task.sleep(for: .milliseconds(200))  // the two records are in the queue
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("late")))
        }
        #expect(error?.code == .queueFull)
        #expect(error?.reason.contains("queue.buffering.max.messages=2") == true)
        #expect(error?.reason.contains("Raise queue.buffering.max.messages") == true)
        #expect(error?.reason.contains(topic) == true)
        // The failed wait is reported too (for the metric).
        #expect(waits.durations.contains { $0 >= .milliseconds(500) })

        try cluster.setBrokerUp(1)
        let reports = try await filling.value
        #expect(reports.allSatisfy { $0.isDelivered })
    }

    @Test("cancelling a send that waits for room ends it with interrupted; the records queued before are delivered")
    func cancelledWait() async throws {
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("cancelled-wait")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Self.producer(cluster, maxMessages: 2)
        _ = try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("warm-up")))
        try cluster.setBrokerDown(1)

        let filling = Task {
            try await producer.send((0..<2).map { OutgoingRecord(topic: topic, key: nil, value: bytes("f\($0)")) })
        }
        try await Task.sleep(for: .milliseconds(200))  // the two records are in the queue
        let waiting = Task { try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("w"))) }
        try await Task.sleep(for: .milliseconds(300))
        waiting.cancel()
        let error = await #expect(throws: KafkaError.self) { try await waiting.value }
        #expect(error?.code == .interrupted)

        try cluster.setBrokerUp(1)
        let reports = try await filling.value
        #expect(reports.allSatisfy { $0.isDelivered })
    }

    @Test("a transactional producer's async send waits for room too; every record of the transaction commits")
    func transactionalSendsThroughATinyQueue() async throws {
        let (cluster, topic, producer, waits) = try await Self.transactionInATinyQueue()
        for index in 0..<60 {
            try await producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("t\(index)")))
        }
        try await producer.commitTransaction()
        #expect(waits.count > 0)

        #expect(try await Self.committedValues(cluster, topic, count: 60) == Set((0..<60).map { "t\($0)" }))
    }
}

extension ProduceBackpressureTests {
    @Test("the synchronous send, on a thread of its own, blocks until the poll thread made room; all records commit")
    func blockingSendsThroughATinyQueue() async throws {
        let (cluster, topic, producer, waits) = try await Self.transactionInATinyQueue()
        let failure = Mutex<KafkaError?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            do throws(KafkaError) {
                for index in 0..<40 {
                    try producer.send(OutgoingRecord(topic: topic, key: nil, value: bytes("b\(index)")))
                }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }.start()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
        #expect(failure.withLock { $0 } == nil)
        try await producer.commitTransaction()
        #expect(waits.count > 0)

        #expect(try await Self.committedValues(cluster, topic, count: 40) == Set((0..<40).map { "b\($0)" }))
    }

    /// A cluster of its own with slow acknowledgements, a topic, and a transactional producer whose local queue
    /// holds 4 records, in an open transaction.
    private static func transactionInATinyQueue()
        async throws -> (MockCluster, String, TransactionalProducer, WaitLog)
    {
        let cluster = try MockCluster(brokers: 1, logger: TestCluster.logger)
        let topic = TestCluster.uniqueName("txn-tiny-queue")
        try cluster.createTopic(topic, partitions: 2)
        try cluster.setRoundTripTime(broker: 1, .milliseconds(10))
        var client = TestCluster.client(cluster)
        client.additionalProperties["queue.buffering.max.messages"] = "4"
        let waits = WaitLog()
        let producer = try TransactionalProducer(
            configuration: KafkaProducerConfiguration(client: client, lingerMilliseconds: 1),
            transactionalId: TestCluster.uniqueName("txn"),
            logger: TestCluster.logger,
            onQueueFullWait: { waits.record($0) }
        )
        try await producer.initTransactions()
        try producer.beginTransaction()
        return (cluster, topic, producer, waits)
    }

    /// The values of `count` records read from `topic` once acknowledgements are fast again.
    private static func committedValues(
        _ cluster: MockCluster,
        _ topic: String,
        count: Int
    ) async throws -> Set<String> {
        try cluster.setRoundTripTime(broker: 1, .zero)
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let records = try await consumer.records(count: count)
        try await consumer.close()
        return Set(records.compactMap { text($0.value) })
    }
}

/// The waiter list itself, driven by hand in place of the poll thread.
@Suite("Produce queue waiters")
struct ProduceQueueWaitersTests {
    @Test("a poll that served events resumes a waiter to try again")
    func servedEventsResume() async {
        let waiters = ProduceQueueWaiters()
        let ticket = waiters.ticket()
        let outcome = Task { await waiters.wait(after: ticket, until: .now + .seconds(60)) }
        while waiters.count == 0 { await Task.yield() }
        waiters.polled(served: 0)  // nothing served: still waiting
        #expect(waiters.count == 1)
        waiters.polled(served: 3)
        #expect(await outcome.value == .retry)
        #expect(waiters.count == 0)
    }

    @Test("events served between the ticket and the wait make the wait return at once")
    func noLostWakeUp() async {
        let waiters = ProduceQueueWaiters()
        let ticket = waiters.ticket()
        waiters.polled(served: 1)  // room freed after the failed attempt, before the wait
        #expect(await waiters.wait(after: ticket, until: .now + .seconds(60)) == .retry)
        #expect(waiters.waitBlocking(after: ticket, until: .now + .seconds(60)) == .retry)
    }

    @Test("a waiter past its deadline is resumed with timedOut by the next poll that served nothing")
    func deadline() async {
        let waiters = ProduceQueueWaiters()
        let deadline = ContinuousClock.now + .seconds(60)
        let outcome = Task { await waiters.wait(after: waiters.ticket(), until: deadline) }
        while waiters.count == 0 { await Task.yield() }
        waiters.polled(served: 0, now: deadline - .seconds(1))
        #expect(waiters.count == 1)
        waiters.polled(served: 0, now: deadline)
        #expect(await outcome.value == .timedOut)
        #expect(await waiters.wait(after: waiters.ticket(), until: .now - .seconds(1)) == .timedOut)
    }

    @Test("cancellation resumes a waiting task, and a task cancelled before it waits does not wait")
    func cancellation() async {
        let waiters = ProduceQueueWaiters()
        let outcome = Task { await waiters.wait(after: waiters.ticket(), until: .now + .seconds(60)) }
        while waiters.count == 0 { await Task.yield() }
        outcome.cancel()
        #expect(await outcome.value == .cancelled)
        #expect(waiters.count == 0)

        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await waiters.wait(after: waiters.ticket(), until: .now + .seconds(60))
        }
        #expect(await early.value == .cancelled)
        #expect(waiters.count == 0)
    }

    @Test("a blocked thread is woken by the poll")
    func blockingWaiter() {
        let waiters = ProduceQueueWaiters()
        let ticket = waiters.ticket()
        let result = Mutex<ProduceQueueWaiters.Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let outcome = waiters.waitBlocking(after: ticket, until: .now + .seconds(60))
            result.withLock { $0 = outcome }
            done.signal()
        }.start()
        while waiters.count == 0 { usleep(1_000) }
        waiters.polled(served: 2)
        done.wait()
        #expect(result.withLock { $0 } == .retry)
    }
}

/// The waits a producer reported through `onQueueFullWait` (or any other events counted by tests).
final class WaitLog: Sendable {
    private let waits = Mutex<[Duration]>([])

    func record(_ waited: Duration) {
        waits.withLock { $0.append(waited) }
    }

    var count: Int { waits.withLock { $0.count } }
    var durations: [Duration] { waits.withLock { $0 } }
}
