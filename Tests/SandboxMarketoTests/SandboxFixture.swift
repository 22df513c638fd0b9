import Foundation
import SandboxMarketo
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_795_000_000))

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// One running sandbox and an HTTP client for it; a suite shares one.
final class SandboxFixture: Sendable {
    let sandbox: MarketoSandbox
    let client: MarketoHTTPClient
    let clock: ManualClock

    private init(sandbox: MarketoSandbox, client: MarketoHTTPClient, clock: ManualClock) {
        self.sandbox = sandbox
        self.client = client
        self.clock = clock
    }

    /// Starts a sandbox on an ephemeral loopback port with a manual clock.
    static func start(
        _ setup: MarketoSandboxSetup,
        timeScale: Double = 1,
        callLogLimit: Int = 100_000
    ) async throws -> SandboxFixture {
        let clock = ManualClock()
        let sandbox = try MarketoSandbox(
            setup: setup,
            options: MarketoSandboxOptions(timeScale: timeScale, clock: { clock.now }, callLogLimit: callLogLimit)
        )
        Task { try await sandbox.run() }
        let base = try await sandbox.baseURL()
        return SandboxFixture(sandbox: sandbox, client: MarketoHTTPClient(base: base), clock: clock)
    }

    /// A subscription with the standard provisioning under the given munchkin id; client id `<munchkin>-id`,
    /// secret `<munchkin>-secret`.
    static func subscription(
        _ munchkinId: String,
        limits: MarketoSandboxSetup.Limits = .init(),
        invalidStatus: MarketoSandboxSetup.InvalidStatusReporting = .perRecord
    ) -> MarketoSandboxSetup.Subscription {
        MarketoSandboxSetup.Subscription(
            munchkinId: munchkinId,
            clientId: "\(munchkinId)-id",
            clientSecret: "\(munchkinId)-secret",
            limits: limits,
            invalidStatusReporting: invalidStatus
        )
    }

    /// A fresh access token for a subscription made by ``subscription(_:limits:invalidStatus:)``.
    func token(_ munchkinId: String) async throws -> String {
        let response = try await client.send(
            "GET",
            "/identity/oauth/token",
            query: [
                "grant_type": "client_credentials", "client_id": "\(munchkinId)-id",
                "client_secret": "\(munchkinId)-secret",
            ]
        )
        guard let token = response.object["access_token"] as? String else {
            throw FixtureError(message: "no token: \(response.text)")
        }
        return token
    }
}

struct FixtureError: Error {
    var message: String
}

/// An HTTP response, with its body decoded as JSON when it is JSON.
struct HTTPReply: @unchecked Sendable {
    // @unchecked: `json` holds JSONSerialization's immutable output and never leaves the test that made it.
    var status: Int
    var headers: [String: String]
    var body: Data
    var json: Any?

    var text: String { String(decoding: body, as: UTF8.self) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var success: Bool? { object["success"] as? Bool }
    var result: [[String: Any]] { object["result"] as? [[String: Any]] ?? [] }
    var errorCode: String? { (object["errors"] as? [[String: Any]])?.first?["code"] as? String }
    var errorMessage: String? { (object["errors"] as? [[String: Any]])?.first?["message"] as? String }

    /// The reason codes of a result item (`reasons`, or `errors` for custom activities).
    func reasonCodes(_ index: Int, key: String = "reasons") -> [String] {
        guard index < result.count else { return [] }
        return (result[index][key] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }
}

/// A plain URLSession client (libcurl on Linux, as the writers use).
struct MarketoHTTPClient: Sendable {
    let base: URL
    let session: URLSession

    init(base: URL) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 32
        configuration.timeoutIntervalForRequest = 30
        self.session = URLSession(configuration: configuration)
    }

    func send(
        _ method: String,
        _ path: String,
        query: [String: String] = [:],
        json: Any? = nil,
        body: Data? = nil,
        contentType: String? = nil,
        token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPReply {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty {
            components?.queryItems = query.sorted { $0.key < $1.key }.map {
                URLQueryItem(name: $0.key, value: $0.value)
            }
        }
        guard let url = components?.url else { throw FixtureError(message: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            if let key = key as? String, let value = value as? String { fields[key.lowercased()] = value }
        }
        let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return HTTPReply(status: http?.statusCode ?? 0, headers: fields, body: data, json: json)
    }
}
