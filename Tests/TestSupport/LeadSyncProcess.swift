import Dispatch
public import Foundation
import Synchronization

/// A `leadsync` child process (the binary built next to the test bundle), its standard output as lines and
/// its standard error kept for assertions. Pipes are read and the exit is awaited on threads of their own with
/// blocking calls, so nothing depends on run loops or signal sources; every wait has a generous time limit so a
/// broken command fails its test instead of hanging the suite.
public final class LeadSyncProcess: Sendable {
    /// The built `leadsync` executable (``LeadSyncBinary/url``), nil when it is not there.
    public static let binary: URL? = {
        let url = LeadSyncBinary.url
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }()

    /// Whether the binary exists and has the `sandbox` command (registered in `LeadSyncCommand`); the tests that
    /// run it are skipped otherwise.
    public static let hasSandboxCommand: Bool = {
        guard let binary else { return false }
        let probe = Process()
        probe.executableURL = binary
        probe.arguments = ["sandbox", "salesforce", "--print-setup"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        probe.standardInput = FileHandle.nullDevice
        do {
            try probe.run()
        } catch {
            return false
        }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Bytes a reader thread fills.
    private final class Buffer: Sendable {
        let bytes = Mutex(Data())
    }

    /// How long any wait may take.
    public static let timeLimit: Duration = .seconds(60)

    private let process: Process
    private let lines: AsyncStream<String>
    private let standardError = Buffer()
    private let exited: AsyncStream<Int32>

    /// Starts `leadsync` with the arguments.
    public init(_ arguments: [String]) throws {
        guard let binary = Self.binary else { throw ProcessFailure(message: "no leadsync binary") }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The child has its own copies of the write ends; closing ours lets the readers see end of file.
        try? output.fileHandleForWriting.close()
        try? errors.fileHandleForWriting.close()

        let (lines, lineSink) = AsyncStream.makeStream(of: String.self)
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lineSink.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { lineSink.yield(String(decoding: pending, as: UTF8.self)) }
            lineSink.finish()
        }
        let standardError = self.standardError
        let errorReader = errors.fileHandleForReading
        let errorsRead = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while true {
                let chunk = errorReader.availableData
                if chunk.isEmpty { break }
                standardError.bytes.withLock { $0.append(chunk) }
            }
            errorsRead.signal()
        }
        let (exited, exitSink) = AsyncStream.makeStream(of: Int32.self)
        Thread.detachNewThread {
            process.waitUntilExit()
            // Report the exit once standard error is read to its end, so `errorText` is complete by then.
            errorsRead.wait()
            exitSink.yield(process.terminationStatus)
            exitSink.finish()
        }
        self.process = process
        self.lines = lines
        self.exited = exited
    }

    /// Standard output lines up to and including the first one that satisfies `stop`.
    /// - Throws: ``ProcessFailure`` when the output ends first or the time limit passes.
    public func lines(until stop: @escaping @Sendable (String) -> Bool) async throws -> [String] {
        let lines = self.lines
        let seen = try await Self.withTimeLimit { () -> [String]? in
            var seen: [String] = []
            for await line in lines {
                seen.append(line)
                if stop(line) { return seen }
            }
            return nil
        }
        guard let seen else { throw ProcessFailure(message: "output ended early; stderr: \(errorText)") }
        return seen
    }

    /// Everything written to standard error so far.
    public var errorText: String {
        standardError.bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to end; returns its exit status.
    /// - Throws: ``ProcessFailure`` when it is still running after the time limit (it is then killed).
    public func exitStatus() async throws -> Int32 {
        let exited = self.exited
        let status = try await Self.withTimeLimit { () -> Int32? in
            for await status in exited { return status }
            return nil
        }
        guard let status else { throw ProcessFailure(message: "no exit status; stderr: \(errorText)") }
        return status
    }

    /// Kills the process if it still runs (cleanup after a failed expectation).
    public func stop() {
        if process.isRunning { process.terminate() }
    }

    /// Runs `body`, or throws when it has not finished within ``timeLimit``.
    private static func withTimeLimit<T: Sendable>(
        _ body: @escaping @Sendable () async -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try await Task.sleep(for: timeLimit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ProcessFailure(message: "no answer within \(timeLimit)")
            }
            return value
        }
    }
}

/// A child process did not behave.
public struct ProcessFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
