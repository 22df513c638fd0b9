import Dispatch

/// Where the fold runs: a dispatch queue of its own, not Swift's cooperative pool.
///
/// The fold's work between two awaits is synchronous, and one call in it may block: a send that meets a full
/// produce queue waits, on a semaphore the producer's poll thread signals, until delivery reports free room
/// (the synchronous `TransactionalProducer.send`). On the cooperative pool, which has one thread per core, that
/// wait would take a thread from every other task of the process (a writer's HTTP calls, `/metrics`). On this
/// queue it takes a fold thread, and dispatch starts another one for runnable work while it is blocked.
/// ``FoldRuntime/run()`` runs the poll loop and its fold threads (the task group of ``FoldLoop``) here, through
/// Swift's task executor preference.
final class FoldExecutor: TaskExecutor {
    /// One queue for every fold of the process (tests run several).
    static let shared = FoldExecutor()

    private let queue = DispatchQueue(label: "leadsync-fold", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
