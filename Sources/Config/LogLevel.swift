// MARK: - LogLevel

/// The log level; the names are swift-log's `Logger.Level` raw values, so the CLI maps it with
/// `Logger.Level(rawValue: level.rawValue)`.
public enum LogLevel: String, CaseIterable, Sendable, Hashable {
    /// `trace`.
    case trace
    /// `debug`.
    case debug
    /// `info` (the default).
    case info
    /// `notice`.
    case notice
    /// `warning`.
    case warning
    /// `error`.
    case error
    /// `critical`.
    case critical
}
