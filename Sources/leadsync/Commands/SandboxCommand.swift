import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// `leadsync sandbox marketo|salesforce`: the CRM emulators as processes, for development and for tests that run
/// the writers out of process.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a Marketo or Salesforce API emulator on loopback HTTP (for development and tests).",
        discussion: """
            Each sandbox answers the real API's paths, response shapes and error codes, enforces the real \
            limits, injects faults and shows everything it stored, all over HTTP. Without --setup it holds the \
            standard setup that config/dev.yaml points at, on the port config/dev.yaml uses. See docs/sandboxes.md.
            """,
        subcommands: [Marketo.self, Salesforce.self]
    )

    /// Runs one sandbox service in a `ServiceGroup` that stops on SIGINT or SIGTERM, printing the banner once the
    /// server listens.
    /// - Parameters:
    ///   - service: The sandbox.
    ///   - name: `marketo` or `salesforce`, for the first and last lines.
    ///   - address: `host:port`, for the message when the sandbox cannot listen.
    ///   - logger: The group's logger.
    ///   - baseURL: Waits until the sandbox listens; throws when it stopped first (the group's error is reported).
    ///   - banner: The lines to print, given the base URL.
    static func serve(
        _ service: some Service,
        name: String,
        address: String,
        logger: Logger,
        baseURL: @escaping @Sendable () async throws -> URL,
        banner: @escaping @Sendable (URL) -> [String]
    ) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [service],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask {
                    guard let url = try? await baseURL() else { return }
                    for line in banner(url) { printLine(line) }
                }
                try await tasks.waitForAll()
            }
        } catch {
            let hint = "(another process on that port? try --port 0)"
            throw CommandFailure(message: "the \(name) sandbox on \(address) stopped: \(error) \(hint)")
        }
        printLine("leadsync sandbox \(name): stopped")
    }

    /// A logger on standard error at the given level (`LEADSYNC_LOG_LEVEL` when no level is given), `info` by
    /// default; the sandboxes log every call at `debug`.
    static func logger(_ label: String, level: String?) throws -> Logger {
        let text = level ?? ProcessInfo.processInfo.environment["LEADSYNC_LOG_LEVEL"] ?? "info"
        guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level must be one of \(levels); got '\(text)'")
        }
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = parsed
        return logger
    }

    /// Pretty, key-sorted JSON of a setup, for `--print-setup`.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads a setup file, refusing YAML (the sandbox modules decode JSON), turning decoding errors into one line
    /// that names the file and the key, and refusing keys the setup does not have (a misspelt key would otherwise
    /// be ignored and its default used).
    static func readSetup<Setup: Encodable>(_ path: String, decode: (URL) throws -> Setup) throws -> Setup {
        let url = URL(fileURLWithPath: path)
        if ["yaml", "yml"].contains(url.pathExtension.lowercased()) {
            throw CommandFailure(
                message: "\(path): sandbox setups are JSON files (see config/sandbox/*.json); YAML is not read"
            )
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure(message: "\(path): no such file")
        }
        let setup: Setup
        do {
            setup = try decode(url)
        } catch let error as DecodingError {
            throw CommandFailure(message: "\(path): \(describe(error))")
        } catch {
            throw CommandFailure(message: "\(path): \(error)")
        }
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        let understood = try JSONSerialization.jsonObject(with: JSONEncoder().encode(setup))
        if let unknown = unknownKeys(in: written, understood: understood, at: "").first {
            throw CommandFailure(message: "\(path): unknown key '\(unknown)'")
        }
        return setup
    }

    /// Paths of keys in `written` (a file's JSON) that `understood` (the decoded setup encoded again, where every
    /// known key with a value appears) lacks. Keys set to null are not reported.
    static func unknownKeys(in written: Any, understood: Any, at path: String) -> [String] {
        switch (written, understood) {
        case (let file as [String: Any], let known as [String: Any]):
            return file.keys.sorted().flatMap { key -> [String] in
                let place = path.isEmpty ? key : "\(path).\(key)"
                guard let value = file[key], !(value is NSNull) else { return [] }
                guard let twin = known[key] else { return [place] }
                return unknownKeys(in: value, understood: twin, at: place)
            }
        case (let file as [Any], let known as [Any]):
            return zip(file, known).enumerated().flatMap { index, pair in
                unknownKeys(in: pair.0, understood: pair.1, at: "\(path)[\(index)]")
            }
        default:
            return []
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(at(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "\(at(context.codingPath)): expected \(type) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "\(at(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return "\(at(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
