import Marketo
import Synchronization

/// Collects what the client reports through `callObserver`.
final class CallRecorder: Sendable {
    private let records = Mutex<[MarketoCallRecord]>([])

    var observer: @Sendable (MarketoCallRecord) -> Void {
        { [self] record in self.records.withLock { $0.append(record) } }
    }

    var all: [MarketoCallRecord] { records.withLock { $0 } }

    func calls(_ endpoint: MarketoCallEndpoint) -> [MarketoCallRecord] {
        all.filter { $0.endpoint == endpoint }
    }
}
