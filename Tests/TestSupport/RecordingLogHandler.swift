public import Logging
import Synchronization

/// A log handler that keeps every entry, so a test can check what was logged.
public final class RecordingLogHandler: Sendable {
    /// One log entry.
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    /// An empty recorder.
    public init() {}

    /// Everything logged so far.
    public var logged: [Entry] { entries.withLock { $0 } }

    /// A logger at `level` that writes here.
    public func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }
}

private struct Handler: LogHandler {
    let recorder: RecordingLogHandler
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        recorder.append(
            RecordingLogHandler.Entry(
                level: event.level,
                message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }
            )
        )
    }
}
