import Foundation
import Synchronization

/// A `leadsync` child process (the binary built next to the test bundle), its standard output as lines and
/// its standard error kept for assertions.
final class LeadSyncProcess: Sendable {
    /// The built `leadsync` executable: `LEADSYNC_BINARY`, else the one beside the test bundle.
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["LEADSYNC_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ].map { $0.appendingPathComponent("leadsync") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Whether the binary exists and has the `sandbox` command (registered in `LeadSyncCommand`); the tests that
    /// run it are skipped otherwise.
    static let hasSandboxCommand: Bool = {
        guard let binary else { return false }
        let probe = Process()
        probe.executableURL = binary
        probe.arguments = ["sandbox", "salesforce", "--print-setup"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
        } catch {
            return false
        }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Bytes a pipe's handler fills, shared with the process object.
    private final class Buffer: Sendable {
        let bytes = Mutex(Data())
    }

    private let process: Process
    private let lines: AsyncStream<String>
    private let standardError = Buffer()
    private let exited: AsyncStream<Int32>

    /// Starts `leadsync` with the arguments.
    init(_ arguments: [String]) throws {
        guard let binary = Self.binary else { throw ProcessFailure(message: "no leadsync binary") }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let (lines, lineSink) = AsyncStream.makeStream(of: String.self)
        let pending = Buffer()
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                lineSink.finish()
                return
            }
            let complete: [String] = pending.bytes.withLock { buffer in
                buffer.append(chunk)
                var found: [String] = []
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    found.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
                return found
            }
            for line in complete { lineSink.yield(line) }
        }
        let standardError = self.standardError
        errors.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            standardError.bytes.withLock { $0.append(chunk) }
        }
        let (exited, exitSink) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitSink.yield(finished.terminationStatus)
            exitSink.finish()
        }
        self.process = process
        self.lines = lines
        self.exited = exited
        try process.run()
    }

    /// Standard output lines up to and including the first one that satisfies `stop`.
    /// - Throws: ``ProcessFailure`` when the output ends first.
    func lines(until stop: (String) -> Bool) async throws -> [String] {
        var seen: [String] = []
        for await line in lines {
            seen.append(line)
            if stop(line) { return seen }
        }
        throw ProcessFailure(message: "output ended; saw \(seen); stderr: \(errorText)")
    }

    /// Everything written to standard error so far.
    var errorText: String {
        standardError.bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// Sends a signal.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; returns its exit status.
    func exitStatus() async -> Int32 {
        for await status in exited { return status }
        return process.terminationStatus
    }

    /// Kills the process if it still runs (cleanup after a failed expectation).
    func stop() {
        if process.isRunning { process.terminate() }
    }
}

/// A child process did not behave.
struct ProcessFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
