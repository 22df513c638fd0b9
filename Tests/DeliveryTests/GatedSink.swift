import Delivery
import Foundation
import LeadModel
import Synchronization

/// A sink whose calls stay in flight until the test opens the gate, like a slow CRM call: it records whether the
/// call's task was cancelled while it waited, and delivers every item.
final class GatedSink: DeliverySink {
    let destination: Destination = .salesforce
    private let state = Mutex(State())

    private struct State {
        var isOpen = false
        var callsStarted = 0
        var cancelledCalls = 0
        var delivered: [String] = []
    }

    /// Calls that reached the sink.
    var callsStarted: Int { state.withLock { $0.callsStarted } }
    /// Calls whose task was cancelled while in flight.
    var cancelledCalls: Int { state.withLock { $0.cancelledCalls } }
    /// Command ids delivered.
    var delivered: [String] { state.withLock { $0.delivered } }

    /// Lets every call in flight, and every later one, complete.
    func open() { state.withLock { $0.isOpen = true } }

    func limits(forTenant tenant: String) -> CallLimits? {
        CallLimits(callsPerWindow: 1000, window: .seconds(1), concurrentCalls: 4)
    }

    func subscription(ofTenant tenant: String) -> String { tenant }

    func deliver(_ batch: DeliveryBatch) async -> [DeliveryOutcome] {
        state.withLock { $0.callsStarted += 1 }
        while !state.withLock({ $0.isOpen }) {
            // Not Task.sleep: it would return at once in a cancelled task, and the wait must last regardless.
            usleep(5_000)
            await Task.yield()
        }
        let cancelled = Task.isCancelled
        state.withLock { state in
            if cancelled { state.cancelledCalls += 1 }
            state.delivered += batch.items.map(\.command.commandId.rawValue)
        }
        return batch.items.map { _ in .delivered }
    }
}
