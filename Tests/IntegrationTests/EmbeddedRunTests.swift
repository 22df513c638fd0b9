import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("leadsync run: the embedded pipeline end to end")
struct EmbeddedRunTests {
    @Test("reaches a state where the sandboxes equal the fold, serves the named metrics, and logs no email or secret")
    func embeddedRunIsConsistent() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let port = Int.random(in: 20_000..<40_000)
        let process = Process()
        process.executableURL = LeadSyncBinary.url
        process.arguments = [
            "run", "--leads", "400", "--seed", "11", "--state-dir", work.path, "--metrics-address", "127.0.0.1:\(port)",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["LEADSYNC_CONFIG"] = nil
        environment["LEADSYNC_LOG_LEVEL"] = "debug"
        process.environment = environment
        let captured = CapturedOutput(of: process)
        try process.run()
        captured.startReading()

        // While it runs, /metrics carries the roles' series. Polled from a thread of its own: the suites that run
        // beside this one block the test runner's few concurrency threads at times, and a poll loop on them could
        // miss the whole run.
        let poller = MetricsPoller(url: try #require(URL(string: "http://127.0.0.1:\(port)/metrics")))
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let (metrics, fetches) = poller.stop()
        let (stdout, stderr) = captured.collect()

        #expect(process.terminationStatus == 0, "stdout:\n\(stdout)\nstderr tail:\n\(stderr.suffix(2000))")
        #expect(stdout.contains("consistent: the CRMs hold exactly the fold's state"), "\(stdout)")
        #expect(stdout.contains("Marketo members:") && stdout.contains("Salesforce campaign members:"))
        #expect(stdout.contains("400 leads in state"))
        for series in [
            "leadsync_writer_commands_total", "leadsync_writer_batch_commands", "leadsync_writer_unfinished_commands",
            "leadsync_fold_", "leadsync_consumer_lag{group=\"leadsync-fold\"",
        ] {
            #expect(metrics.contains(series), "/metrics lacks \(series); fetches: \(fetches.suffix(30))")
        }
        // Both sinks name their metrics one way.
        for crm in ["marketo", "salesforce"] {
            for suffix in [
                "api_calls_total{", "api_call_seconds_bucket{", "api_call_records_count{", "commands_total{",
                "lookups_total{",
            ] {
                #expect(metrics.contains("leadsync_\(crm)_\(suffix)"), "/metrics lacks leadsync_\(crm)_\(suffix)")
            }
        }
        // Every *_seconds histogram has its buckets in seconds (5 ms to 60 s), none in milliseconds.
        for line in metrics.split(separator: "\n") where line.contains("_seconds_bucket{") && !line.contains("+Inf") {
            guard let start = line.range(of: "le=\"")?.upperBound, let end = line[start...].firstIndex(of: "\""),
                let bound = Double(line[start..<end])
            else { continue }
            #expect(bound <= 60, "a seconds histogram with a bucket at \(bound): \(line)")
        }
        // Debug logs of a whole run: emails are redacted, secrets never appear.
        #expect(!stderr.isEmpty)
        #expect(!stderr.contains(".example\""), "an email in the logs")
        #expect(stderr.range(of: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}"#, options: .regularExpression) == nil)
        for secret in ["leadsync-client-secret", "leadsync-sandbox-secret"] {
            #expect(!stderr.contains(secret) && !stdout.contains(secret), "the secret \(secret) was printed")
        }
    }
}

/// Fetches a /metrics page every 300 ms on a thread of its own (each fetch bounded to 2 s) until stopped, keeping
/// the last page that holds the writers' series and a line per fetch for failure messages.
final class MetricsPoller: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var page = ""
    private var fetches: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    init(url: URL) {
        let thread = Thread { [self] in
            while !lock.withLock({ stopped }) {
                let started = Date()
                var request = URLRequest(url: url)
                request.timeoutInterval = 2
                let done = DispatchSemaphore(value: 0)
                let result = LockedData()
                let failure = LockedData()
                URLSession.shared.dataTask(with: request) { data, _, error in
                    if let data { result.set(data) }
                    if let error { failure.set(Data("\(error)".utf8)) }
                    done.signal()
                }.resume()
                let line: String
                if done.wait(timeout: .now() + 3) == .timedOut {
                    line = "no answer in 3 s"
                } else if !failure.get().isEmpty {
                    line = String(decoding: failure.get(), as: UTF8.self)
                } else {
                    let text = String(decoding: result.get(), as: UTF8.self)
                    if text.contains("leadsync_writer_commands_total") { lock.withLock { page = text } }
                    line = "\(text.utf8.count) bytes"
                }
                lock.withLock {
                    fetches.append("\(line) after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
                }
                Thread.sleep(forTimeInterval: 0.3)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops polling; the last page with the writers' series ("" if none) and the fetches made.
    func stop() -> (page: String, fetches: [String]) {
        lock.withLock { stopped = true }
        finished.wait()
        return lock.withLock { (page, fetches) }
    }
}
