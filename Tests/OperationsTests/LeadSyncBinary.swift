import Foundation

/// The built `leadsync` executable, run as a child process the way an operator runs it.
enum LeadSyncBinary {
    struct Result {
        var status: Int32
        var output: String
        var errorOutput: String
    }

    static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["LEADSYNC_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        // The test runner lives in the build products directory, beside the executable.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("leadsync")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/leadsync")
    }

    /// Runs `leadsync arguments...` to completion (killed after `timeout`).
    static func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LEADSYNC_CONFIG"] = nil
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        async let outputData = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let errorData = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
        }
        let (out, err) = await (outputData, errorData)
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: out, as: UTF8.self),
            errorOutput: String(decoding: err, as: UTF8.self)
        )
    }
}
