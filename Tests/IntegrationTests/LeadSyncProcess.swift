import Foundation
import Topics

/// The built `leadsync` executable, run as a child process the way an operator runs it.
enum LeadSyncBinary {
    static var url: URL {
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

    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    /// Runs `leadsync arguments...` to completion.
    static func run(
        _ arguments: [String],
        timeout: TimeInterval = 60,
        environment: [String: String]? = nil,
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
func runTool(
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

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// A `leadsync dev-cluster` child process, stopped when the test ends (or when the test runner dies: it
/// watches its standard input).
final class DevClusterProcess {
    let process = Process()
    let state: DevClusterControlClient.State
    let control: DevClusterControlClient
    private let stdin = Pipe()
    private let stateFile: URL

    /// - Parameter workingDirectory: where the child runs (default: the test runner's directory).
    init(arguments: [String] = [], workingDirectory: URL? = nil) throws {
        stateFile = FileManager.default.temporaryDirectory.appendingPathComponent("dev-cluster-\(UUID().uuidString).json")
        process.executableURL = LeadSyncBinary.url
        process.arguments = ["dev-cluster", "--state-file", stateFile.path, "--stop-on-stdin-close"] + arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var state: DevClusterControlClient.State?
        while state == nil, Date() < deadline, process.isRunning {
            if let data = try? Data(contentsOf: stateFile) {
                state = try? JSONDecoder().decode(DevClusterControlClient.State.self, from: data)
            }
            if state == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        guard let state, let url = URL(string: state.controlURL) else {
            process.terminate()
            throw DevClusterStartFailure(arguments: arguments)
        }
        self.state = state
        self.control = DevClusterControlClient(baseURL: url)
    }

    var stateFilePath: String { stateFile.path }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }
}

struct DevClusterStartFailure: Error {
    var arguments: [String]
}
