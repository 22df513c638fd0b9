public import Foundation

/// The built `leadsync` executable, run as a child process the way an operator runs it.
public enum LeadSyncBinary {
    /// `LEADSYNC_BINARY`, else the first `leadsync` in the test runner's directory or above it, else
    /// `.build/debug/leadsync`.
    public static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["LEADSYNC_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        // The test runner lives in the build products directory, beside the executable.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("leadsync")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/leadsync")
    }

    /// What a finished process left.
    public struct Result: Sendable {
        /// Its exit status.
        public var status: Int32
        /// Its standard output.
        public var output: String
        /// Its standard error.
        public var errorOutput: String
    }

    /// Runs `leadsync arguments...` to completion (killed after `timeout` seconds).
    /// - Parameter environment: Variables set on top of the test's environment; the caller's `LEADSYNC_CONFIG` is
    ///   removed unless this is nil (the test's environment as it is).
    public static func run(
        _ arguments: [String],
        timeout: TimeInterval = 60,
        environment: [String: String]? = [:],
        in directory: URL? = nil
    ) throws -> Result {
        try runTool(url, arguments, timeout: timeout, environment: environment, in: directory)
    }
}

/// Runs any program to completion, capturing its output.
/// - Parameters:
///   - environment: Variables set on top of the test's own environment, from which the caller's `LEADSYNC_CONFIG` is
///     removed; nil runs the program with the test's environment as it is.
///   - directory: The working directory (default: the test's).
public func runTool(
    _ executable: URL,
    _ arguments: [String],
    input: Data? = nil,
    timeout: TimeInterval = 60,
    environment: [String: String]? = nil,
    in directory: URL? = nil
) throws -> LeadSyncBinary.Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment {
        // The test's own environment with these variables set on top (and no LEADSYNC_CONFIG of the caller's).
        var merged = ProcessInfo.processInfo.environment
        merged["LEADSYNC_CONFIG"] = nil
        for (name, value) in environment { merged[name] = value }
        process.environment = merged
    }
    if let directory { process.currentDirectoryURL = directory }
    let stdin = Pipe()
    process.standardInput = stdin
    let captured = CapturedOutput(of: process)
    try process.run()
    captured.startReading()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
    }
    let (output, errorOutput) = captured.collect()
    return LeadSyncBinary.Result(status: process.terminationStatus, output: output, errorOutput: errorOutput)
}

/// A process's standard output and error, each read to its end on a thread of its own, so that a full pipe never
/// blocks the process while the test waits for it.
public struct CapturedOutput: Sendable {
    private let output = Pipe()
    private let errors = Pipe()
    private let outputData = LockedData()
    private let errorData = LockedData()
    private let readers = DispatchGroup()

    /// Attaches the pipes to `process`, before it runs.
    public init(of process: Process) {
        process.standardOutput = output
        process.standardError = errors
    }

    /// Starts the readers, once the process runs.
    public func startReading() {
        for (pipe, sink) in [(output, outputData), (errors, errorData)] {
            readers.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                readers.leave()
            }
        }
    }

    /// Waits for both pipes to close (the process and its children ended) and returns what they carried.
    public func collect() -> (output: String, errors: String) {
        readers.wait()
        return (String(decoding: outputData.get(), as: UTF8.self), String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// Bytes handed from a reader thread to the test.
public final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    public init() {}
    public func set(_ value: Data) { lock.withLock { data = value } }
    public func get() -> Data { lock.withLock { data } }
}
