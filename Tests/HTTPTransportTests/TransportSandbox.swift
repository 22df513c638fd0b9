import Foundation
import HTTPTransport
import Logging
import SandboxMarketo

/// A Marketo sandbox on a loopback port as a plain HTTP server for transport tests: a token, a JSON POST that
/// stores what it got (Sync Leads), fault rules (drops, latency) and a call log with the body bytes received.
final class TransportSandbox: Sendable {
    static let munchkinId = "123-ABC-456"
    let sandbox: MarketoSandbox
    let baseURL: URL
    private let task: Task<Void, any Error>

    private init(sandbox: MarketoSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
    }

    /// The suite's one server (never stopped: stopping Hummingbird with connections in flight aborts the test
    /// process); each test starts from a clean state with ``fresh()``.
    private static let shared = Task { try await TransportSandbox.start() }

    /// The shared server with no data, faults or logged calls.
    static func fresh() async throws -> TransportSandbox {
        let server = try await shared.value
        server.sandbox.reset()
        return server
    }

    static func start() async throws -> TransportSandbox {
        let quiet = Logger(label: "transport.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        var setup = MarketoSandboxSetup.standard(munchkinId: munchkinId)
        setup.subscriptions[0].limits.callsPerWindow = 1_000_000
        setup.subscriptions[0].limits.maxConcurrentCalls = 1_000
        setup.subscriptions[0].limits.dailyQuota = 10_000_000
        let sandbox = try MarketoSandbox(setup: setup, options: MarketoSandboxOptions(logger: quiet))
        let task = Task { try await sandbox.run() }
        return TransportSandbox(sandbox: sandbox, baseURL: try await sandbox.baseURL(), task: task)
    }

    /// A bearer token from the identity endpoint.
    func token(_ transport: any HTTPTransport) async throws -> String {
        var components = URLComponents(
            url: baseURL.appendingPathComponent("identity/oauth/token"),
            resolvingAgainstBaseURL: false
        )
        components?.queryItems = [
            URLQueryItem(name: "grant_type", value: "client_credentials"),
            URLQueryItem(name: "client_id", value: "leadsync-client-id"),
            URLQueryItem(name: "client_secret", value: "leadsync-client-secret"),
        ]
        guard let url = components?.url else { throw TransportTestFailure("no token URL") }
        let response = try await transport.send(HTTPRequest(method: "GET", url: url))
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard let token = object?["access_token"] as? String else {
            throw TransportTestFailure("no token in \(String(decoding: response.body, as: UTF8.self))")
        }
        return token
    }

    /// A Sync Leads request creating the given emails.
    func syncLeads(_ emails: [String], token: String) -> HTTPRequest {
        let input = emails.map { "{\"email\":\"\($0)\",\"firstName\":\"Test\"}" }.joined(separator: ",")
        let body = Data("{\"action\":\"createOrUpdate\",\"lookupField\":\"email\",\"input\":[\(input)]}".utf8)
        return HTTPRequest(
            method: "POST",
            url: baseURL.appendingPathComponent("rest/v1/leads.json"),
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(token)")],
            body: body
        )
    }

    /// Sync Leads calls in the call log.
    var leadCalls: [SandboxCall] {
        sandbox.calls(munchkinId: Self.munchkinId).filter {
            $0.endpoint == "/rest/v1/leads.json" && $0.method == "POST"
        }
    }

    /// Emails of the stored leads.
    var storedEmails: [String] {
        sandbox.snapshot(Self.munchkinId)?.leads.compactMap(\.email) ?? []
    }
}

struct TransportTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
