import Dispatch
import Synchronization

/// Callers waiting for room in a producer's local queue (`queue.buffering.max.messages` and `.kbytes`), resumed by
/// the producer's poll thread.
///
/// librdkafka frees a slot of its queue when it destroys a record whose delivery report was served, which happens
/// inside `rd_kafka_poll` on the poll thread. That thread calls ``polled(served:now:)`` after every poll: when the
/// poll served events, every waiter is resumed to try its enqueue again; a waiter whose deadline passed is resumed
/// with ``Outcome/timedOut``. Deadlines are therefore checked at the poll interval (50 ms).
///
/// A caller takes a ``Ticket`` before its enqueue attempt: if the poll thread served events between that attempt and
/// the wait, the wait returns ``Outcome/retry`` at once, so room freed in that gap is never missed.
final class ProduceQueueWaiters: Sendable {
    enum Outcome: Sendable {
        /// Events were served since the ticket was taken: try the enqueue again.
        case retry
        /// The deadline passed with the queue still full.
        case timedOut
        /// The waiting task was cancelled.
        case cancelled
    }

    /// The count of polls that served events, as seen before an enqueue attempt.
    struct Ticket {
        fileprivate let generation: UInt64
    }

    private struct Waiter {
        let deadline: ContinuousClock.Instant
        let resume: @Sendable (Outcome) -> Void
    }

    private struct State {
        var generation: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// Waits cancelled before they were registered (or after they were resumed); cleared when the wait ends.
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Taken before an enqueue attempt, handed to the wait that follows a full queue.
    func ticket() -> Ticket {
        state.withLock { Ticket(generation: $0.generation) }
    }

    /// The number of callers waiting now.
    var count: Int { state.withLock { $0.waiters.count } }

    /// Called by the poll thread after each `rd_kafka_poll`, with the number of events it served.
    func polled(served: Int32, now: ContinuousClock.Instant = .now) {
        let resumed: [(Waiter, Outcome)] = state.withLock { state in
            if served > 0 { state.generation &+= 1 }
            guard !state.waiters.isEmpty else { return [] }
            let due = state.waiters.filter { served > 0 || $0.value.deadline <= now }
            for id in due.keys { state.waiters[id] = nil }
            // A waiter past its deadline still gets one more attempt when room may have been freed.
            return due.values.map { ($0, served > 0 ? .retry : .timedOut) }
        }
        for (waiter, outcome) in resumed { waiter.resume(outcome) }
    }

    /// Suspends until the poll thread served events since `ticket`, `deadline` passed or the task is cancelled.
    func wait(after ticket: Ticket, until deadline: ContinuousClock.Instant) async -> Outcome {
        let id = newID()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let resume: @Sendable (Outcome) -> Void = { continuation.resume(returning: $0) }
                if let immediate = register(id, after: ticket, until: deadline, resume) {
                    continuation.resume(returning: immediate)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(.cancelled)
        }
        state.withLock { _ = $0.cancelled.remove(id) }
        return outcome
    }

    /// ``wait(after:until:)`` blocking the calling thread: for callers on a thread of their own, which cannot
    /// suspend. Never cancelled.
    func waitBlocking(after ticket: Ticket, until deadline: ContinuousClock.Instant) -> Outcome {
        let semaphore = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        if let immediate = register(
            newID(),
            after: ticket,
            until: deadline,
            { outcome in
                box.outcome.withLock { $0 = outcome }
                semaphore.signal()
            }
        ) {
            return immediate
        }
        semaphore.wait()
        return box.outcome.withLock { $0 }
    }

    private func newID() -> UInt64 {
        state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
    }

    /// Registers a waiter, or returns the outcome at once when there is nothing to wait for.
    private func register(
        _ id: UInt64,
        after ticket: Ticket,
        until deadline: ContinuousClock.Instant,
        _ resume: @escaping @Sendable (Outcome) -> Void
    ) -> Outcome? {
        state.withLock { state in
            if state.cancelled.contains(id) { return .cancelled }
            if state.generation != ticket.generation { return .retry }
            if deadline <= .now { return .timedOut }
            state.waiters[id] = Waiter(deadline: deadline, resume: resume)
            return nil
        }
    }
}

private final class OutcomeBox: Sendable {
    let outcome = Mutex<ProduceQueueWaiters.Outcome>(.retry)
}
