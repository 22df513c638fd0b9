import Foundation
import Logging
import Metrics
import Observability
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Observability: metrics endpoint, probes, JSON logs without emails")
struct ObservabilityTests {
    @Test("/metrics serves the recorded series in the Prometheus text format; /healthz and /readyz follow the role")
    func endpoints() async throws {
        PrometheusExporter.bootstrap()
        Counter(label: "leadsync_test_commands_total", dimensions: [("destination", "marketo")]).increment(by: 3)
        let ready = Atomic(false)
        let server = ObservabilityServer(host: "127.0.0.1", port: 0, logger: Logger(label: "test")) {
            ObservabilityServer.Health(
                isReady: ready.load(ordering: .relaxed),
                details: ["fold: restoring 2 partitions"]
            )
        }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = server.boundPortNumber
            if port == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let base = "http://127.0.0.1:\(try #require(port))"

        let (metrics, metricsStatus) = try await get("\(base)/metrics")
        #expect(metricsStatus == 200)
        #expect(metrics.contains("leadsync_test_commands_total{destination=\"marketo\"} 3"))

        let (notReady, notReadyStatus) = try await get("\(base)/readyz")
        #expect(notReadyStatus == 503)
        #expect(notReady.contains("fold: restoring 2 partitions"))
        ready.store(true, ordering: .relaxed)
        #expect(try await get("\(base)/readyz").status == 200)
        #expect(try await get("\(base)/healthz").status == 200)
    }

    @Test("log lines are JSON objects; emails are replaced by a stable hash unless enabled; quotes are escaped")
    func jsonLogs() throws {
        let lines = LineCapture()
        var logger = Logger(label: "leadsync.test") { label in
            JSONLogHandler(label: label, level: .info, logsEmails: false, write: lines.append)
        }
        logger[metadataKey: "tenant"] = "acme"
        logger.info("delivered \"1\" to Jane.Doe@Example.com", metadata: ["leadKey": "acme/jane.doe@example.com"])
        logger.debug("not written")
        var open = Logger(label: "leadsync.test") { label in
            JSONLogHandler(label: label, level: .info, logsEmails: true, write: lines.append)
        }
        open.logLevel = .info
        open.warning("lead jane.doe@example.com.")

        let written = lines.lines
        #expect(written.count == 2)
        let first = try #require(
            try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String]
        )
        #expect(first["level"] == "info")
        #expect(first["logger"] == "leadsync.test")
        #expect(first["tenant"] == "acme")
        let message = try #require(first["msg"])
        #expect(!message.contains("@"))
        #expect(message.hasPrefix("delivered \"1\" to <email:"))
        // The same address (any case) gets the same hash, so one lead can be followed through the logs.
        let hashInMessage = message.split(separator: "<").last.map(String.init)
        #expect(first["leadKey"] == "acme/<" + (hashInMessage ?? ""))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: String])
        #expect(second["msg"] == "lead jane.doe@example.com.")
        #expect(second["source"] != nil, "warnings carry their source location")
    }

    @Test("redaction leaves text without addresses alone and handles several addresses and sentence ends")
    func redaction() {
        #expect(EmailRedaction.redact("no address @ all") == "no address @ all")
        let text = EmailRedaction.redact("a@b.co and c.d+e@f-g.example.org.")
        #expect(!text.contains("@"))
        #expect(text.hasSuffix(">."))
        #expect(text.components(separatedBy: "<email:").count == 3)
    }

    private func get(_ url: String) async throws -> (body: String, status: Int) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
    }
}

final class LineCapture: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    var append: @Sendable (String) -> Void { { line in self.storage.withLock { $0.append(line) } } }
}

/// docs/metrics.md against the code: every metric a role creates is documented, every documented metric exists,
/// and the two CRM sinks name theirs one way.
@Suite("docs/metrics.md is true to the code")
struct MetricDocumentationTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Metric names written in the sources as string literals: `"leadsync_..."`.
    static func namesInSources() throws -> Set<String> {
        var names: Set<String> = []
        let sources = repository.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/Sandbox") else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /"(leadsync_[a-z_]+)"/) { names.insert(String(match.1)) }
        }
        return names
    }

    static func namesInDocs() throws -> Set<String> {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        var names: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `leadsync_") {
            let firstCell = line.dropFirst(2).prefix { $0 != "|" }
            for match in firstCell.matches(of: /leadsync_[a-z_]+/) { names.insert(String(match.0)) }
        }
        return names
    }

    @Test("every metric of the code is in docs/metrics.md, and every documented one is in the code")
    func documented() throws {
        let code = try Self.namesInSources().filter { !$0.hasPrefix("leadsync_test") }
        let docs = try Self.namesInDocs()
        #expect(code.subtracting(docs).isEmpty, "undocumented: \(code.subtracting(docs).sorted())")
        #expect(docs.subtracting(code).isEmpty, "documented but not in the code: \(docs.subtracting(code).sorted())")
    }

    @Test("the Marketo and Salesforce sinks share their metric names but for the CRM")
    func sinksNamedAlike() throws {
        let code = try Self.namesInSources()
        // The sinks' metrics, the clients' secret re-reads and the writers' start-up checks.
        let shared = [
            "api_calls_total", "api_call_seconds", "api_call_records", "commands_total", "lookups_total",
            "bulk_jobs_total", "secret_rereads_total", "preflight_failed_checks",
        ]
        for suffix in shared {
            #expect(
                code.contains("leadsync_marketo_\(suffix)") && code.contains("leadsync_salesforce_\(suffix)"),
                "\(suffix)"
            )
        }
        // Settling custom activities of unknown outcome by reading them back: Salesforce has no append-only calls.
        let marketoSpecific = ["activity_settlements_total"]
        let marketoOnly = code.filter { $0.hasPrefix("leadsync_marketo_") }
            .map { $0.dropFirst("leadsync_marketo_".count) }
        #expect(
            Set(marketoOnly.map(String.init)) == Set(shared + marketoSpecific),
            "a Marketo metric outside the shared names and the Marketo-specific ones"
        )
    }
}
