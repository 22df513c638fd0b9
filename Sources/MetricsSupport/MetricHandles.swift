public import Metrics
import Synchronization

// MARK: - MetricHandles

/// swift-metrics handles made once per label and dimension values and reused after: a metrics factory (Prometheus)
/// registers a handle per series, and making one per event would cost a lookup in the factory each time.
///
/// Thread-safe: one lock around the handle tables (the handles themselves are thread-safe).
public final class MetricHandles: Sendable {
    private let tables = Mutex(Tables())

    private struct Tables {
        var counters: [Key: Counter] = [:]
        var timers: [Key: Metrics.Timer] = [:]
        var recorders: [Key: Recorder] = [:]
        var gauges: [Key: Gauge] = [:]
    }

    private struct Key: Hashable {
        var label: String
        var values: [String]
    }

    /// An empty set of handles.
    public init() {}

    /// The counter `label` with these dimensions.
    public func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        handle(\.counters, label, dimensions) { Counter(label: $0, dimensions: $1) }
    }

    /// The timer `label` with these dimensions.
    public func timer(_ label: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        handle(\.timers, label, dimensions) { Metrics.Timer(label: $0, dimensions: $1) }
    }

    /// The recorder `label` with these dimensions (aggregating: a histogram or summary).
    public func recorder(_ label: String, _ dimensions: [(String, String)]) -> Recorder {
        handle(\.recorders, label, dimensions) { Recorder(label: $0, dimensions: $1) }
    }

    /// The gauge `label` with these dimensions.
    public func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        handle(\.gauges, label, dimensions) { Gauge(label: $0, dimensions: $1) }
    }

    private func handle<Handle: Sendable>(
        _ table: WritableKeyPath<Tables, [Key: Handle]>,
        _ label: String,
        _ dimensions: [(String, String)],
        make: (String, [(String, String)]) -> Handle
    ) -> Handle {
        let key = Key(label: label, values: dimensions.map(\.1))
        return tables.withLock { tables in
            if let handle = tables[keyPath: table][key] { return handle }
            let handle = make(label, dimensions)
            tables[keyPath: table][key] = handle
            return handle
        }
    }
}
