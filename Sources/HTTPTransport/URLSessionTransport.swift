public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: - URLSessionTransport

/// URLSession (FoundationNetworking, libcurl underneath on Linux) as an ``HTTPTransport``: the baseline that
/// `leadsync bench http` measures ``CurlTransport`` against. The CRM clients do not use it.
///
/// It cannot keep the transport promises: URLSession has no low-speed window (only an idle timeout), and on
/// Linux it answers libcurl's rewind request after a reused connection died by resending the request without
/// its body (docs/benchmarks.md, "HTTP transports").
public final class URLSessionTransport: HTTPTransport {
    public let name = "urlsession"
    private let session: URLSession
    private let timeout: TimeInterval

    /// Creates a session with the settings' request timeout (URLSession's only dead-connection detection).
    public init(settings: HTTPTransportSettings = HTTPTransportSettings()) {
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = TimeInterval(HTTPTransportSettings.seconds(settings.requestTimeout))
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        timeout = seconds
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = timeout
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                throw HTTPTransportError(kind: .other, mayHaveBeenProcessed: true, message: "not an HTTP response")
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
            }
            return HTTPResponse(status: http.statusCode, headers: headers, body: data)
        } catch let error as HTTPTransportError {
            throw error
        } catch let error as URLError {
            let kind: HTTPTransportError.Kind
            switch error.code {
            case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet: kind = .cannotConnect
            case .timedOut: kind = .timedOut
            case .networkConnectionLost, .badServerResponse, .zeroByteResource: kind = .connectionLost
            case .secureConnectionFailed, .serverCertificateUntrusted: kind = .tls
            case .cancelled: kind = .cancelled
            default: kind = .other
            }
            throw HTTPTransportError(
                kind: kind,
                mayHaveBeenProcessed: kind != .cannotConnect,
                message: error.localizedDescription,
                code: error.code.rawValue
            )
        } catch {
            throw HTTPTransportError(kind: .other, mayHaveBeenProcessed: true, message: "\(error)")
        }
    }
}
