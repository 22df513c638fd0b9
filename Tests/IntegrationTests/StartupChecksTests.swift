import Foundation
import Logging
import SandboxSalesforce
import TestSupport
import Testing

/// `leadsync doctor` and a writer's start-up checks, run as an operator runs them: the built binary against a
/// Salesforce sandbox on loopback.
@Suite("Start-up checks of the leadsync binary")
struct StartupChecksTests {
    /// Runs the binary on a Dispatch thread: waiting for it must not hold one of the few cooperative threads the
    /// in-process sandbox answers on.
    static func run(
        _ arguments: [String],
        environment: [String: String],
        timeout: TimeInterval = 60
    ) async throws -> LeadSyncBinary.Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try runTool(LeadSyncBinary.url, arguments, timeout: timeout, environment: environment)
                    }
                )
            }
        }
    }

    static func sandbox(
        _ org: SalesforceSandboxSetup.Org
    ) async throws -> (SalesforceSandbox, URL, Task<Void, any Error>) {
        let sandbox = try SalesforceSandbox(
            setup: SalesforceSandboxSetup(orgs: [org]),
            options: .init(timeScale: 1, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        )
        let task = Task { try await sandbox.run() }
        return (sandbox, try await sandbox.waitUntilRunning(), task)
    }

    /// A configuration file of one Salesforce tenant whose secret is the variable `SF_SECRET`.
    static func configFile(loginURL: URL, extraTenant: String = "") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("startup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("leadsync.yaml")
        try """
        tenants:
          - tenant: acme
            destinations: [salesforce]
            events:
              summit-2026: { salesforceCampaignId: \(SalesforceSandboxSetup.standardCampaignId(0)) }
            salesforce:
              loginURL: \(loginURL.absoluteString)
              clientId: leadsync-sandbox-client
              clientSecret: { env: SF_SECRET }
        \(extraTenant)
        """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("doctor: exit 0 on docs/crm-setup.md's org, 1 naming the missing engagement object, JSON on request")
    func doctor() async throws {
        var broken = SalesforceSandboxSetup.standard().orgs[0]
        broken.customObjects = []
        for (org, expected) in [(SalesforceSandboxSetup.standard().orgs[0], Int32(0)), (broken, Int32(1))] {
            let (_, url, task) = try await Self.sandbox(org)
            defer { task.cancel() }
            let file = try Self.configFile(loginURL: url)
            let result = try await Self.run(
                ["doctor", "--config", file.path, "--json"],
                environment: ["SF_SECRET": "leadsync-sandbox-secret"]
            )
            #expect(result.status == expected, "\(result.output)\n\(result.errorOutput)")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
                "\(result.output)"
            )
            #expect(document["passed"] as? Bool == (expected == 0))
            let failed = (document["checks"] as? [[String: Any]] ?? []).filter { $0["outcome"] as? String == "fail" }
            let items = failed.map { $0["item"] as? String }
            #expect(items == (expected == 0 ? [] : ["engagement object UserSessionEngagement__c"]))
        }
    }

    @Test("a writer refuses to start on a blocking failure, logging it with the fix")
    func writerRefuses() async throws {
        var broken = SalesforceSandboxSetup.standard().orgs[0]
        broken.customObjects = []
        let (_, url, task) = try await Self.sandbox(broken)
        defer { task.cancel() }
        let file = try Self.configFile(loginURL: url)
        let result = try await Self.run(
            [
                "writer", "salesforce", "--config", file.path, "--bootstrap-servers", "127.0.0.1:1",
                "--state-dir", FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path,
            ],
            environment: ["SF_SECRET": "leadsync-sandbox-secret"],
            timeout: 120
        )
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("the salesforce writer does not start"), "\(result.errorOutput)")
        #expect(result.errorOutput.contains("engagement object UserSessionEngagement__c"))
        #expect(result.errorOutput.contains("--skip-preflight"))
        #expect((result.output + result.errorOutput).contains("\"msg\":\"preflight check failed\""))
    }

    @Test("a writer lists every secret it cannot read at once, and only its own CRM's")
    func unresolvableSecrets() async throws {
        let file = try Self.configFile(
            loginURL: try #require(URL(string: "http://127.0.0.1:1")),
            extraTenant: """
                  - tenant: globex
                    destinations: [salesforce, marketo]
                    events:
                      partner-day:
                        marketoProgramId: 1003
                        salesforceCampaignId: \(SalesforceSandboxSetup.standardCampaignId(1))
                    salesforce:
                      clientId: other
                      clientSecret: { file: /nonexistent/globex-secret }
                    marketo:
                      munchkinId: 123-ABC-456
                      clientId: other
                      clientSecret: { env: GLOBEX_MARKETO_SECRET }
                """
        )
        let result = try await Self.run(
            ["writer", "salesforce", "--config", file.path, "--bootstrap-servers", "127.0.0.1:1"],
            environment: [:]
        )
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("(2 problems)"), "\(result.errorOutput)")
        #expect(
            result.errorOutput.contains("tenants[0].salesforce.clientSecret: environment variable SF_SECRET is not set")
        )
        #expect(
            result.errorOutput.contains(
                "tenants[1].salesforce.clientSecret: cannot read the secret file /nonexistent/globex-secret"
            )
        )
        #expect(!result.errorOutput.contains("GLOBEX_MARKETO_SECRET"))
    }
}
