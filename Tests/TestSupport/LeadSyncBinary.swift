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
    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    let outputData = LockedData()
    let errorData = LockedData()
    let readers = DispatchGroup()
    for (pipe, sink) in [(output, outputData), (errors, errorData)] {
        readers.enter()
        DispatchQueue.global().async {
            sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
            readers.leave()
        }
    }
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
    }
    readers.wait()
    return LeadSyncBinary.Result(
        status: process.terminationStatus,
        output: String(decoding: outputData.get(), as: UTF8.self),
        errorOutput: String(decoding: errorData.get(), as: UTF8.self)
    )
}

/// Bytes handed from a reader thread to the test.
public final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    public init() {}
    public func set(_ value: Data) { lock.withLock { data = value } }
    public func get() -> Data { lock.withLock { data } }
}
