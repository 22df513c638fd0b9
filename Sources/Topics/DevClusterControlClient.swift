public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The development cluster's control endpoint (`leadsync dev-cluster`), which creates topics with their configs
/// on librdkafka's mock cluster and remembers the configs the mock itself does not keep.
public struct DevClusterControlClient: TopicCatalog {
    /// What `leadsync dev-cluster` writes to its state file.
    public struct State: Codable, Sendable, Hashable {
        public var bootstrapServers: String
        public var controlURL: String
        public var pid: Int32

        public init(bootstrapServers: String, controlURL: String, pid: Int32) {
            self.bootstrapServers = bootstrapServers
            self.controlURL = controlURL
            self.pid = pid
        }
    }

    public let baseURL: URL

    public init(baseURL: URL) {
        self.baseURL = baseURL
    }

    /// Reads a dev-cluster state file, or takes `reference` as the control URL itself.
    public static func resolve(_ reference: String) throws -> (client: DevClusterControlClient, state: State?) {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") {
            guard let url = URL(string: reference) else { throw TopicCatalogError("'\(reference)' is not a URL") }
            return (DevClusterControlClient(baseURL: url), nil)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: reference))
        } catch {
            throw TopicCatalogError(
                "cannot read the dev-cluster state file \(reference): is `leadsync dev-cluster` running? "
                    + "(\(error.localizedDescription))"
            )
        }
        guard let state = try? JSONDecoder().decode(State.self, from: data), let url = URL(string: state.controlURL)
        else {
            throw TopicCatalogError("\(reference) is not a dev-cluster state file")
        }
        return (DevClusterControlClient(baseURL: url), state)
    }

    public func existingTopics(named names: [String]) async throws -> [ExistingTopic] {
        let data = try await request("GET", "topics", body: nil)
        let topics = try JSONDecoder().decode([ExistingTopic].self, from: data)
        let wanted = Set(names)
        return topics.filter { wanted.contains($0.name) }
    }

    public func create(_ definitions: [TopicDefinition]) async throws {
        _ = try await request("POST", "topics", body: try JSONEncoder().encode(definitions))
    }

    /// Sends a control request and returns the body of a 2xx answer.
    public func request(_ method: String, _ path: String, body: Data?) async throws -> Data {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 15
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw TopicCatalogError(
                "the dev-cluster control endpoint \(baseURL) did not answer: \(error.localizedDescription)"
            )
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let text = String(decoding: data, as: UTF8.self)
            throw TopicCatalogError("dev-cluster \(method) /\(path) answered \(status): \(text)")
        }
        return data
    }
}
