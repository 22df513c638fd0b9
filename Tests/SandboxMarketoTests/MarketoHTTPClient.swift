import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
