import Dispatch

/// Runs blocking librdkafka calls (poll with a timeout, commit, flush, transactions) on a dispatch queue instead
/// of Swift's cooperative pool, whose few threads must never block.
struct BlockingCallQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Runs `body` on the queue without waiting for it.
    func enqueue(_ body: @escaping @Sendable () -> Void) {
        queue.async(execute: body)
    }

    /// Returns once every call queued before it has run.
    func drained() async {
        await run {}
    }

    /// Returns once every call queued before it has run, blocking the calling thread (never call it on the
    /// queue itself, nor on one of Swift's cooperative threads).
    func drainedNow() {
        queue.sync {}
    }
}
