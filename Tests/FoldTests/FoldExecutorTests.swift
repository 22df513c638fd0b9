import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Fold

/// The fold's executor keeps a blocked fold thread (a send waiting for room in a full produce queue) away from
/// Swift's cooperative pool, and dispatch still runs the fold's other work meanwhile.
@Suite("Fold executor: blocking waits stay off the cooperative pool")
struct FoldExecutorTests {
    @Test("more blocked fold tasks than cores: cooperative tasks and other fold tasks still run")
    func blockedFoldTasksLeaveOthersRunning() async throws {
        let blocked = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let release = DispatchSemaphore(value: 0)
        let started = StartedCount()
        try await withTaskExecutorPreference(FoldExecutor.shared) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<blocked {
                    group.addTask {
                        started.value.add(1, ordering: .relaxed)
                        release.wait()  // what a send on a full produce queue does to its thread
                    }
                }
                defer { for _ in 0..<blocked { release.signal() } }
                try await waitUntil { started.value.load(ordering: .relaxed) == blocked }

                // Work on the cooperative pool (no preference) is not starved by the blocked fold threads.
                let cooperative = await withTaskExecutorPreference(nil) {
                    await Task.detached { 6 * 7 }.value
                }
                #expect(cooperative == 42)
                // Nor is more fold work: dispatch runs it on another thread while the others wait.
                let fold = await withTaskGroup(of: Int.self) { inner in
                    inner.addTask { 7 }
                    return await inner.next() ?? 0
                }
                #expect(fold == 7)
            }
        }
        #expect(started.value.load(ordering: .relaxed) == blocked)
    }

    /// How many blocked tasks started, shared with them.
    private final class StartedCount: Sendable {
        let value = Atomic(0)
    }

    /// Polls `condition` every 10 ms for up to 10 s.
    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the blocked fold tasks did not all start within 10 s")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
