import ArgumentParser
import Basics
import Foundation
import HTTPTransport
import Logging
import Marketo

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `leadsync bench http`: the CRM clients' HTTP transports side by side against a Marketo sandbox that drops a share
/// of connections: call latency, stalls, CPU per call, and what the sandbox received.
struct BenchHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "HTTP transports (libcurl direct, URLSession): latency, stalls and CPU with dropped connections.",
        discussion: """
            Starts `leadsync sandbox marketo` as a child process (so this process's CPU is the client's alone) with \
            limits high enough that no rate limit interferes, makes it drop --drop-rate of the Sync Leads calls \
            (the connection closes without an answer), and sends --calls Sync Leads calls of --records leads each, \
            --concurrency at a time, through the Marketo client over each transport in turn. Prints per transport: \
            calls, failures by kind, p50/p99/max call latency, stalls (calls longer than --stall-seconds), CPU \
            seconds per 1,000 calls, and from the sandbox's call log: the requests it received (more than the calls \
            made means silent resends) and those with an empty or truncated body. docs/benchmarks.md records a run.

            Examples:
              leadsync bench http
              leadsync bench http --calls 2000 --drop-rate 0.05 --low-speed-window 5 --transports curl
            """
    )

    @Option(help: "Calls per transport.") var calls = 1_000
    @Option(help: "Calls in flight at once.") var concurrency = 4
    @Option(help: "Leads per Sync Leads call.") var records = 50
    @Option(help: "Share of calls whose connection the sandbox drops.") var dropRate = 0.05
    @Option(help: "The transports' low-speed window, seconds (URLSession has none).") var lowSpeedWindow = 5
    @Option(help: "The request timeout, seconds (URLSession's only dead-connection detection).") var requestTimeout = 10
    @Option(help: "A call longer than this many seconds counts as a stall.") var stallSeconds = 1.0
    @Option(help: "Transports to measure, comma-separated: curl, urlsession.") var transports = "curl,urlsession"
    @Option(help: "Seed of the sandbox's drop draws.") var seed: UInt64 = 7

    func validate() throws {
        guard calls > 0, concurrency > 0, records > 0, records <= 300 else {
            throw ValidationError("--calls and --concurrency must be positive, --records in 1...300")
        }
        guard (0...1).contains(dropRate) else { throw ValidationError("--drop-rate must be in 0...1") }
        guard lowSpeedWindow >= 1, requestTimeout >= 1 else {
            throw ValidationError("--low-speed-window and --request-timeout must be at least 1 s")
        }
        for name in transportNames where !["curl", "urlsession"].contains(name) {
            throw ValidationError("unknown transport '\(name)': curl or urlsession")
        }
    }

    private var transportNames: [String] {
        transports.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        try await runReportingErrors {
            let sandbox = try SandboxChild.start()
            defer { sandbox.stop() }
            printLine(
                "leadsync bench http: \(calls) Sync Leads calls of \(records) leads per transport, \(concurrency) at a "
                    + "time, \(Int(dropRate * 100))% dropped connections, low-speed window \(lowSpeedWindow) s, "
                    + "request "
                    + "timeout \(requestTimeout) s; sandbox \(sandbox.baseURL.absoluteString) (pid \(sandbox.pid)); "
                    + CurlTransport.libraryVersion
            )
            printLine(BenchHTTPResult.header)
            for name in transportNames {
                let result = try await measure(name, sandbox: sandbox)
                printLine(result.line)
            }
        }
    }

    private func measure(_ name: String, sandbox: SandboxChild) async throws -> BenchHTTPResult {
        try await sandbox.control("POST", "/_sandbox/reset")
        try await sandbox.control(
            "POST",
            "/_sandbox/faults",
            json: ["endpoint": "/rest/v1/leads.json", "rate": dropRate, "dropConnection": true, "seed": seed]
        )
        let settings = HTTPTransportSettings(
            lowSpeedWindow: .seconds(lowSpeedWindow),
            requestTimeout: .seconds(requestTimeout)
        )
        let transport: any HTTPTransport =
            name == "curl"
            ? try CurlTransport(settings: settings, label: "bench") : URLSessionTransport(settings: settings)
        let client = try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: sandbox.baseURL,
                clientId: SandboxChild.clientId,
                clientSecret: SandboxChild.clientSecret,
                requestTimeout: .seconds(requestTimeout),
                logger: Logger(label: "bench.http", factory: { _ in SwiftLogNoOpLogHandler() }),
                http: settings
            ),
            transport: transport
        )
        _ = try await client.describeLeads()  // the token and a warm connection, outside the figures
        let cpuBefore = Self.cpuSeconds()
        let started = ContinuousClock.now
        let outcomes = try await withThrowingTaskGroup(of: [(Duration, String?)].self) { group in
            for worker in 0..<concurrency {
                group.addTask { [calls, records, concurrency] in
                    var mine: [(Duration, String?)] = []
                    for index in stride(from: worker + 1, through: calls, by: concurrency) {
                        let leads = (0..<records).map { ["email": "bench\(index)-\($0)@example.com", "lastName": "B"] }
                        let callStarted = ContinuousClock.now
                        do {
                            _ = try await client.syncLeads(leads.map { $0.mapValues { MarketoFieldValue.string($0) } })
                            mine.append((ContinuousClock.now - callStarted, nil))
                        } catch let error as MarketoError {
                            mine.append((ContinuousClock.now - callStarted, Self.failureKind(error)))
                        }
                    }
                    return mine
                }
            }
            var all: [(Duration, String?)] = []
            for try await part in group { all += part }
            return all
        }
        let wall = ContinuousClock.now - started
        let cpu = Self.cpuSeconds() - cpuBefore
        let received = try await sandbox.leadCalls()
        return BenchHTTPResult(
            transport: name,
            outcomes: outcomes,
            wall: wall,
            cpuSeconds: cpu,
            stallSeconds: stallSeconds,
            received: received.count,
            emptyOrTruncated: received.filter(\.isEmptyOrTruncated).count
        )
    }

    private static func failureKind(_ error: MarketoError) -> String {
        if error.code == .transport {
            // The message starts with the transport's description of the failure.
            return String(error.message.prefix { $0 != ":" })
        }
        return error.resultCode
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

// MARK: - BenchHTTPResult

/// One transport's figures.
struct BenchHTTPResult {
    var transport: String
    var outcomes: [(Duration, String?)]
    var wall: Duration
    var cpuSeconds: Double
    var stallSeconds: Double
    var received: Int
    var emptyOrTruncated: Int

    static let header =
        "transport   calls  failed  p50 ms  p99 ms  max ms  stalls  CPU s/1000 calls  calls/s  sandbox received  "
        + "empty/truncated  failures"

    var line: String {
        let millis = outcomes.map { $0.0.seconds * 1000 }.sorted()
        func percentile(_ p: Double) -> Double {
            millis.isEmpty ? 0 : millis[min(millis.count - 1, Int((Double(millis.count) * p).rounded(.up)) - 1)]
        }
        let failures = Dictionary(grouping: outcomes.compactMap(\.1)) { $0 }.mapValues(\.count)
            .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let stalls = millis.filter { $0 > stallSeconds * 1000 }.count
        let seconds = wall.seconds
        return [
            transport.padding(toLength: 10, withPad: " ", startingAt: 0),
            String(format: "%6d", outcomes.count), String(format: "%6d", outcomes.count { $0.1 != nil }),
            String(format: "%6.1f", percentile(0.5)), String(format: "%6.1f", percentile(0.99)),
            String(format: "%7.0f", millis.last ?? 0), String(format: "%6d", stalls),
            String(format: "%16.3f", cpuSeconds / Double(max(outcomes.count, 1)) * 1000),
            String(format: "%8.0f", Double(outcomes.count) / max(seconds, 0.001)),
            String(format: "%17d", received), String(format: "%15d", emptyOrTruncated), "  " + failures,
        ].joined(separator: "  ")
    }
}

// MARK: - SandboxChild

/// `leadsync sandbox marketo` as a child process on a free port, with limits no benchmark reaches.
final class SandboxChild: @unchecked Sendable {
    static let munchkinId = "123-ABC-456"
    static let clientId = "leadsync-client-id"
    static let clientSecret = "leadsync-client-secret"

    let baseURL: URL
    private let process: Process
    private let setupFile: URL

    var pid: Int32 { process.processIdentifier }

    private init(baseURL: URL, process: Process, setupFile: URL) {
        self.baseURL = baseURL
        self.process = process
        self.setupFile = setupFile
    }

    static func start() throws -> SandboxChild {
        let setup: [String: Any] = [
            "subscriptions": [
                [
                    "munchkinId": munchkinId, "clientId": clientId, "clientSecret": clientSecret,
                    "limits": [
                        "callsPerWindow": 100_000_000, "maxConcurrentCalls": 10_000, "dailyQuota": 1_000_000_000,
                    ],
                ]
            ]
        ]
        let setupFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-http-\(UUID().uuidString).json"
        )
        try JSONSerialization.data(withJSONObject: setup).write(to: setupFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["sandbox", "marketo", "--port", "0", "--setup", setupFile.path, "--log-level", "error"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "listening on "),
                let line = text[range.upperBound...].split(separator: "\n").first,
                let url = URL(string: String(line).trimmingCharacters(in: .whitespaces))
            {
                // Keep reading the child's output so that it never blocks on a full pipe.
                DispatchQueue.global().async { while !output.fileHandleForReading.availableData.isEmpty {} }
                return SandboxChild(baseURL: url, process: process, setupFile: setupFile)
            }
        }
        process.terminate()
        throw CommandFailure(message: "the Marketo sandbox child did not start: \(text.prefix(500))")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: setupFile)
    }

    /// A control call; fails unless the answer is 2xx.
    @discardableResult
    func control(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw CommandFailure(
                message: "sandbox \(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))"
            )
        }
        return data
    }

    /// The Sync Leads calls the sandbox received, from its call log.
    func leadCalls() async throws -> [ReceivedCall] {
        let data = try await control("GET", "/_sandbox/calls")
        return try JSONDecoder().decode([ReceivedCall].self, from: data)
            .filter { $0.endpoint == "/rest/v1/leads.json" && $0.method == "POST" }
    }

    /// What the bench reads of a call log entry.
    struct ReceivedCall: Decodable {
        var endpoint: String
        var method: String
        var errorCode: String?
        var requestBytes: Int?
        var declaredBytes: Int?

        /// An empty body, fewer bytes than declared, or Marketo's "Invalid JSON".
        var isEmptyOrTruncated: Bool {
            let bytes = requestBytes ?? 0
            return bytes == 0 || (declaredBytes.map { $0 != bytes } ?? false) || errorCode == "609"
        }
    }
}
