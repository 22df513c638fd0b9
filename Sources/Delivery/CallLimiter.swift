import Basics
public import Foundation
import Metrics
import Synchronization

// MARK: - CallLimiter

/// Keeps one tenant's API calls inside its ``CallLimits``: a rolling-window rate, a concurrency cap, a daily
/// budget, and a park until a spent quota resets.
///
/// It is adaptive: a rate-limit answer from the CRM (Marketo 606/615) halves the rate it allows and pauses new
/// calls for a quarter window; every call that goes through wins a little of the rate back. That matters when
/// other integrations share the subscription and the CRM's window fills before ours does.
public final class CallLimiter: Sendable {
    /// The limits this limiter enforces.
    public let limits: CallLimits
    private let state: Mutex<State>

    private struct State {
        var callEnds: [ContinuousClock.Instant] = []
        var inFlight = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var rateFactor = 1.0
        /// This instance's part of the tenant's limits when several writer instances share them.
        var instanceShare = 1.0
        var pausedUntil: ContinuousClock.Instant?
        var parkedUntil: Date?
        var day: Int = CallLimiter.dayNumber(Date())
        var callsToday = 0
        var callsTotal = 0
        var rateLimitedTotal = 0
    }

    private let waits: Metrics.Timer?
    private let rateLimitedAnswers: Counter?

    /// Creates a limiter.
    /// - Parameters:
    ///   - limits: the tenant's rate, concurrency and daily limits to enforce.
    ///   - metricDimensions: labels of its metrics (`leadsync_writer_limiter_wait_seconds`,
    ///     `leadsync_writer_rate_limited_total`); none when empty.
    public init(limits: CallLimits, metricDimensions: [(String, String)] = []) {
        self.limits = limits
        self.state = Mutex(State())
        if metricDimensions.isEmpty {
            waits = nil
            rateLimitedAnswers = nil
        } else {
            waits = Metrics.Timer(label: "leadsync_writer_limiter_wait_seconds", dimensions: metricDimensions)
            rateLimitedAnswers = Counter(label: "leadsync_writer_rate_limited_total", dimensions: metricDimensions)
        }
    }

    /// Waits until a call may start and takes a slot; pair it with ``release()`` (or use ``withCall(_:)``).
    /// - Throws: ``CallLimiterError`` when the tenant is parked or its daily budget is spent: waiting would
    ///   take hours, so the caller fails the command as `quotaExhausted` instead.
    public func acquire() async throws(CallLimiterError) {
        let asked = ContinuousClock.now
        var waited = false
        defer {
            if waited, let waits { waits.recordNanoseconds((ContinuousClock.now - asked).nanoseconds) }
        }
        while true {
            let decision = state.withLock { state -> Decision in
                let now = ContinuousClock.now
                let today = CallLimiter.dayNumber(Date())
                if today != state.day {
                    state.day = today
                    state.callsToday = 0
                }
                if let parkedUntil = state.parkedUntil {
                    if parkedUntil > Date() { return .fail(.parked(until: parkedUntil)) }
                    state.parkedUntil = nil
                }
                if let fullBudget = limits.dailyCalls,
                    case let budget = max(1, Int((Double(fullBudget) * state.instanceShare).rounded(.down))),
                    state.callsToday >= budget
                {
                    return .fail(.dailyBudgetSpent(budget: budget, resetsAt: CallLimiter.startOfDay(today + 1)))
                }
                if let pausedUntil = state.pausedUntil, pausedUntil > now { return .sleep(until: pausedUntil) }
                // A call holds its window slot from its start until a window after it ended: the CRM counts it on
                // arrival, which can be a moment after we let it go, so counting from the start would let the
                // next window start early and overshoot the share.
                let windowStart = now - limits.window
                if let firstInWindow = state.callEnds.firstIndex(where: { $0 > windowStart }) {
                    state.callEnds.removeFirst(firstInWindow)
                } else {
                    state.callEnds.removeAll(keepingCapacity: true)
                }
                let allowed = max(
                    1,
                    Int((Double(limits.callsPerWindow) * state.rateFactor * state.instanceShare).rounded(.down))
                )
                let holding = state.callEnds.count + state.inFlight
                if holding >= allowed {
                    let freedBy = holding - allowed
                    guard freedBy < state.callEnds.count else { return .waitForRelease }
                    return .sleep(until: state.callEnds[freedBy] + limits.window)
                }
                let concurrency = max(1, Int((Double(limits.concurrentCalls) * state.instanceShare).rounded(.down)))
                if state.inFlight >= concurrency { return .waitForRelease }
                state.inFlight += 1
                state.callsToday += 1
                state.callsTotal += 1
                return .proceed
            }
            switch decision {
            case .proceed:
                return
            case .fail(let error):
                throw error
            case .sleep(let instant):
                waited = true
                // A cancelled task stops waiting here and fails its call as transient.
                do { try await Task.sleep(until: instant, clock: .continuous) } catch { throw .cancelled }
            case .waitForRelease:
                waited = true
                let id = state.withLock { state -> UInt64 in
                    state.nextWaiter += 1
                    return state.nextWaiter
                }
                // Cancellation (a writer shutting down) must end the wait: a task left waiting here would keep
                // its batch, and so the writer's shutdown, from ever finishing.
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = state.withLock { state -> Bool in
                            if Task.isCancelled || state.inFlight == 0 { return true }
                            state.waiters[id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
                }
                if Task.isCancelled { throw .cancelled }
            }
        }
    }

    /// Gives back the slot ``acquire()`` took.
    public func release() {
        // Every waiter looks again: one woken waiter that decides to sleep for the rate window (or is cancelled)
        // must not leave the others waiting for a release that may never come.
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            state.callEnds.append(.now)
            state.rateFactor = min(1, state.rateFactor + 0.02)
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Runs one API call inside the limits.
    public func withCall<Result: Sendable>(
        _ call: () async throws -> Result
    ) async throws -> Result {
        try await acquire()
        defer { release() }
        return try await call()
    }

    /// The CRM answered with a rate or concurrency limit: halve the rate (down to a quarter) and pause new calls
    /// for a quarter window.
    public func reportRateLimited() {
        rateLimitedAnswers?.increment()
        state.withLock { state in
            state.rateLimitedTotal += 1
            state.rateFactor = max(0.25, state.rateFactor / 2)
            state.pausedUntil = ContinuousClock.now + limits.window / 4
        }
    }

    /// Sets this instance's part of the limits, in (0, 1]: with several writer instances in one group, each one
    /// owns a part of the command partitions and so of every tenant's commands, and takes that part of the
    /// tenant's rate, concurrency and daily budget, so that together they stay inside the share without talking
    /// to each other.
    public func setInstanceShare(_ share: Double) {
        state.withLock { $0.instanceShare = min(1, max(0.01, share)) }
    }

    /// The CRM's daily quota is spent: refuse calls until `date`.
    public func park(until date: Date) {
        state.withLock { state in
            if let current = state.parkedUntil, current >= date { return }
            state.parkedUntil = date
        }
    }

    /// When the limiter is parked, until when.
    public var parkedUntil: Date? {
        state.withLock { state in
            guard let until = state.parkedUntil, until > Date() else { return nil }
            return until
        }
    }

    /// Counters for metrics and the benchmark.
    public var status: CallLimiterStatus {
        state.withLock { state in
            CallLimiterStatus(
                inFlight: state.inFlight,
                callsToday: state.callsToday,
                callsTotal: state.callsTotal,
                rateLimitedTotal: state.rateLimitedTotal,
                rateFactor: state.rateFactor,
                parkedUntil: state.parkedUntil
            )
        }
    }

    private enum Decision {
        case proceed
        case fail(CallLimiterError)
        case sleep(until: ContinuousClock.Instant)
        case waitForRelease
    }

    /// Days since 1970 in UTC: the daily budget's day. (Marketo's quota resets at midnight America/Chicago; the
    /// CRM's own 607 parks us until then, whatever our budget's day says.)
    static func dayNumber(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    static func startOfDay(_ day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400) }
}

// MARK: - CallLimiterStatus

/// A limiter's counters.
public struct CallLimiterStatus: Sendable, Hashable {
    /// Calls in flight now.
    public var inFlight: Int
    /// Calls started today (UTC).
    public var callsToday: Int
    /// Calls started since the limiter was made.
    public var callsTotal: Int
    /// Rate-limit answers reported.
    public var rateLimitedTotal: Int
    /// The fraction of the configured rate currently allowed (adaptive, 0.25...1).
    public var rateFactor: Double
    /// When parked, until when.
    public var parkedUntil: Date?
}

// MARK: - CallLimiterError

/// Why the limiter refused a call instead of waiting for it.
public enum CallLimiterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The subscription's daily quota is spent; calls resume at `until`.
    case parked(until: Date)
    /// Our own daily budget (`budget` calls) is spent; it renews at `resetsAt`.
    case dailyBudgetSpent(budget: Int, resetsAt: Date)
    /// The waiting task was cancelled (shutdown).
    case cancelled

    /// The failure a sink reports for a command whose call was refused.
    public var deliveryFailure: DeliveryFailure {
        switch self {
        case .parked(let until):
            DeliveryFailure(
                errorClass: .quotaExhausted,
                code: "parked",
                message: "the subscription's daily quota is spent; calls resume at \(until)",
                resumeAt: until
            )
        case .dailyBudgetSpent(let budget, let resetsAt):
            DeliveryFailure(
                errorClass: .quotaExhausted,
                code: "daily_budget",
                message:
                    "LeadSync's daily budget of \(budget) calls for this tenant is spent; it renews at \(resetsAt)",
                resumeAt: resetsAt
            )
        case .cancelled:
            DeliveryFailure(errorClass: .transient, code: "cancelled", message: "the writer is shutting down")
        }
    }

    public var description: String { deliveryFailure.message }
}
