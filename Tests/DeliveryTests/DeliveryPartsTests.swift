import Foundation
import Kafka
import Synchronization
import Testing

@testable import Delivery

@Suite("Delivery parts: limiter, backoff, offsets, persistent map")
struct DeliveryPartsTests {
    @Test("the limiter never lets more calls start in a window than allowed, nor more run at once")
    func limiterKeepsRateAndConcurrency() async throws {
        let limiter = CallLimiter(
            limits: CallLimits(callsPerWindow: 10, window: .milliseconds(500), concurrentCalls: 3)
        )
        let trace = CallTrace()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<25 {
                group.addTask {
                    try? await limiter.withCall {
                        trace.started()
                        try await Task.sleep(for: .milliseconds(20))
                        trace.ended()
                    }
                }
            }
        }
        let times = trace.starts.sorted()
        #expect(times.count == 25)
        #expect(trace.peak <= 3)
        for (index, start) in times.enumerated() where index + 10 < times.count {
            #expect(times[index + 10] - start >= .milliseconds(500), "11 calls started within one window")
        }
        #expect(limiter.status.callsTotal == 25)
    }

    @Test("an instance with half the partitions takes half of the tenant's rate, concurrency and daily budget")
    func limiterInstanceShare() async throws {
        let limiter = CallLimiter(
            limits: CallLimits(callsPerWindow: 10, window: .seconds(30), concurrentCalls: 4, dailyCalls: 1000)
        )
        limiter.setInstanceShare(0.5)
        for _ in 0..<5 { try await limiter.withCall {} }
        let sixth = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(200))
        #expect(limiter.status.callsTotal == 5, "a sixth call started inside the halved window")
        sixth.cancel()
        _ = await sixth.result
    }

    @Test("a rate-limit answer halves the allowed rate; a park refuses calls with a quota failure")
    func limiterAdaptsAndParks() async throws {
        let limiter = CallLimiter(limits: CallLimits(callsPerWindow: 8, window: .milliseconds(200), concurrentCalls: 2))
        limiter.reportRateLimited()
        #expect(limiter.status.rateFactor == 0.5)
        #expect(limiter.status.rateLimitedTotal == 1)
        let resume = Date().addingTimeInterval(60)
        limiter.park(until: resume)
        await #expect(throws: CallLimiterError.parked(until: resume)) { try await limiter.acquire() }
        #expect(CallLimiterError.parked(until: resume).deliveryFailure.errorClass == .quotaExhausted)
        #expect(CallLimiterError.parked(until: resume).deliveryFailure.resumeAt == resume)
    }

    @Test("the daily budget refuses the call after the last one allowed")
    func limiterDailyBudget() async throws {
        let limiter = CallLimiter(
            limits: CallLimits(callsPerWindow: 100, window: .seconds(1), concurrentCalls: 5, dailyCalls: 3)
        )
        for _ in 0..<3 { try await limiter.withCall {} }
        do {
            try await limiter.acquire()
            Issue.record("a fourth call was allowed")
        } catch {
            guard case .dailyBudgetSpent(let budget, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(budget == 3)
        }
    }

    @Test("backoff doubles up to the cap with jitter in the upper half; the budget counts attempts and age")
    func retrySchedule() {
        let schedule = RetrySchedule(
            maxAttempts: 5,
            initialBackoff: .seconds(1),
            maxBackoff: .seconds(10),
            maxAge: .seconds(60)
        )
        #expect(schedule.backoff(afterAttempt: 1, random: 0) == .milliseconds(500))
        #expect(schedule.backoff(afterAttempt: 1, random: 0.999) <= .seconds(1))
        #expect(schedule.backoff(afterAttempt: 3, random: 0) == .seconds(2))
        #expect(schedule.backoff(afterAttempt: 20, random: 0.999) <= .seconds(10))
        #expect(schedule.backoff(afterAttempt: 20, random: 0) == .seconds(5))
        let first = Date()
        #expect(schedule.allowsRetry(attempts: 4, firstFailedAt: first, now: first))
        #expect(!schedule.allowsRetry(attempts: 5, firstFailedAt: first, now: first))
        #expect(!schedule.allowsRetry(attempts: 1, firstFailedAt: first, now: first.addingTimeInterval(61)))
    }

    @Test("offsets commit up to the first unfinished one, whatever order records finish in")
    func offsetTracker() {
        var tracker = OffsetTracker()
        let partition = TopicPartition(topic: "t", partition: 0)
        for offset in Int64(10)..<Int64(15) { tracker.consumed(partition, offset: offset) }
        tracker.finished(partition, offset: 12)
        #expect(tracker.takeCommittable().isEmpty)
        tracker.finished(partition, offset: 10)
        #expect(tracker.takeCommittable() == [TopicPartitionOffset(topicPartition: partition, offset: 11)])
        #expect(tracker.takeCommittable().isEmpty, "nothing moved since")
        tracker.finished(partition, offset: 11)
        tracker.finished(partition, offset: 14)
        #expect(tracker.takeCommittable() == [TopicPartitionOffset(topicPartition: partition, offset: 13)])
        #expect(tracker.unfinished == 1)
        tracker.remove([partition])
        #expect(tracker.unfinished == 0)
    }

    @Test("the persistent map survives reopening, escapes separators and ignores a torn last line")
    func persistentMap() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString)/cache.map")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let map = try PersistentMap(file: file)
        map.set("acme|a@example.com", "00Q1")
        map.set("tab\there", "line\nbreak\\slash")
        map.set("gone", "x")
        map.set("gone", nil)
        try map.flush()
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("torn\tline-without-newline".utf8))
        try handle.close()

        let reopened = try PersistentMap(file: file)
        #expect(reopened["acme|a@example.com"] == "00Q1")
        #expect(reopened["tab\there"] == "line\nbreak\\slash")
        #expect(reopened["gone"] == nil)
        #expect(reopened["torn"] == nil)
        #expect(reopened.count == 2)
        #expect(reopened.removeAll { key, _ in key.hasPrefix("acme") } == 1)
    }
}

/// Call start times and the peak of calls running at once.
private final class CallTrace: Sendable {
    private let state = Mutex<(starts: [ContinuousClock.Instant], running: Int, peak: Int)>(([], 0, 0))

    func started() {
        state.withLock { state in
            state.starts.append(.now)
            state.running += 1
            state.peak = max(state.peak, state.running)
        }
    }

    func ended() { state.withLock { $0.running -= 1 } }

    var starts: [ContinuousClock.Instant] { state.withLock { $0.starts } }
    var peak: Int { state.withLock { $0.peak } }
}
