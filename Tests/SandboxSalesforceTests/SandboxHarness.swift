import Foundation
import SandboxSalesforce
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: - SandboxHarness

/// One running sandbox for a suite, and an HTTP client that talks to it over loopback with URLSession
/// (libcurl on Linux, as the writer does).
final class SandboxHarness: Sendable {
    let sandbox: SalesforceSandbox
    let baseURL: URL
    let session: URLSession
    private let task: Task<Void, any Error>

    private init(sandbox: SalesforceSandbox, baseURL: URL, task: Task<Void, any Error>) {
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.task = task
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 20
        self.session = URLSession(configuration: configuration)
    }

    static func start(
        _ setup: SalesforceSandboxSetup = .standard(),
        timeScale: Double = 1
    ) async throws -> SandboxHarness {
        let sandbox = try SalesforceSandbox(setup: setup, options: .init(timeScale: timeScale))
        let task = Task { try await sandbox.run() }
        let url = try await sandbox.waitUntilRunning()
        return SandboxHarness(sandbox: sandbox, baseURL: url, task: task)
    }

    // MARK: - HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as JSON (objects as [String: Any] are awkward under Sendable, so tests read it here).
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        }

        func object() throws -> [String: Any] {
            try #require(try json() as? [String: Any], "expected a JSON object, got \(text)")
        }

        func array() throws -> [Any] {
            try #require(try json() as? [Any], "expected a JSON array, got \(text)")
        }

        /// The first `errorCode` of a REST error array.
        func errorCode() throws -> String? {
            (try array().first as? [String: Any])?["errorCode"] as? String
        }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func send(
        _ method: String,
        _ path: String,
        body: String? = nil,
        token: String? = nil,
        contentType: String = "application/json",
        headers: [String: String] = [:],
        freshConnection: Bool = false
    ) async throws -> Reply {
        let url = try #require(URL(string: baseURL.absoluteString + path))
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        // libcurl replays a request once when a reused connection dies before answering, so a test of a
        // dropped connection uses a connection of its own.
        let client = freshConnection ? URLSession(configuration: .ephemeral) : session
        let (data, response) = try await client.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key] = value }
        }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    /// A client-credentials token for an org of the setup.
    func token(org: SalesforceSandboxSetup.Org? = nil) async throws -> String {
        let org = org ?? sandbox.setup.orgs[0]
        let form = "grant_type=client_credentials&client_id=\(org.clientId)&client_secret=\(org.clientSecret)"
        let reply = try await send(
            "POST",
            "/services/oauth2/token",
            body: form,
            contentType: "application/x-www-form-urlencoded"
        )
        try #require(reply.status == 200, "token: \(reply.text)")
        return try #require(try reply.object()["access_token"] as? String)
    }

    /// `GET /query?q=` with the SOQL percent-encoded.
    func query(
        _ soql: String,
        token: String,
        version: String = "v66.0",
        headers: [String: String] = [:]
    )
        async throws -> Reply
    {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&+=?'")
        let encoded = try #require(soql.addingPercentEncoding(withAllowedCharacters: allowed))
        return try await send("GET", "/services/data/\(version)/query?q=\(encoded)", token: token, headers: headers)
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// An unsigned-looking JWT bearer assertion (the sandbox checks claims, not the RSA signature).
    static func jwt(iss: String, sub: String, aud: String, exp: TimeInterval, alg: String = "RS256") -> String {
        let header = base64URL(#"{"alg":"\#(alg)"}"#)
        let claims = base64URL(#"{"iss":"\#(iss)","sub":"\#(sub)","aud":"\#(aud)","exp":\#(Int(exp))}"#)
        return "\(header).\(claims).c2lnbmF0dXJl"
    }
}
