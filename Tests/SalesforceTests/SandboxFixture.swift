import Foundation
import Logging
import Salesforce
import SandboxSalesforce
import Synchronization
import Testing

// MARK: - SandboxFixture

/// One running Salesforce sandbox on an ephemeral loopback port, and clients of the module under test that talk
/// to it over real HTTP.
final class SandboxFixture: Sendable {
    let sandbox: SalesforceSandbox
    let baseURL: URL
    private let task: Task<Void, any Error>

    private init(sandbox: SalesforceSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
    }

    deinit {
        task.cancel()
    }

    static func start(
        _ setup: SalesforceSandboxSetup = SeedData.setup(),
        timeScale: Double = 1
    ) async throws -> SandboxFixture {
        let sandbox = try SalesforceSandbox(setup: setup, options: .init(timeScale: timeScale))
        let task = Task { try await sandbox.run() }
        let url = try await sandbox.waitUntilRunning()
        return SandboxFixture(sandbox: sandbox, baseURL: url, task: task)
    }

    var org: SalesforceSandboxSetup.Org { sandbox.setup.orgs[0] }

    /// A client with the org's client credentials and a recorder of its calls.
    func client(
        clientSecret: String? = nil,
        requestTimeout: Duration = .seconds(20),
        maxURILength: Int = 8_000
    ) -> (SalesforceClient, CallRecorder) {
        let recorder = CallRecorder()
        let configuration = SalesforceClientConfiguration(
            loginURL: baseURL,
            apiVersion: "v62.0",
            credentials: .clientCredentials(clientId: org.clientId, clientSecret: clientSecret ?? org.clientSecret),
            requestTimeout: requestTimeout,
            maxURILength: maxURILength,
            logger: Logger(label: "test.salesforce")
        )
        let client = SalesforceClient(configuration: configuration) { recorder.record($0) }
        return (client, recorder)
    }

    /// The sandbox's log entries for one endpoint name.
    func calls(_ endpoint: String) -> [SandboxCall] {
        sandbox.calls().filter { $0.endpoint == endpoint }
    }
}

// MARK: - CallRecorder

/// Collects the call records a client reports.
final class CallRecorder: Sendable {
    private let records = Mutex<[SalesforceCallRecord]>([])

    func record(_ record: SalesforceCallRecord) {
        records.withLock { $0.append(record) }
    }

    var all: [SalesforceCallRecord] { records.withLock { $0 } }

    func calls(_ endpoint: SalesforceEndpoint) -> [SalesforceCallRecord] {
        all.filter { $0.endpoint == endpoint }
    }
}
