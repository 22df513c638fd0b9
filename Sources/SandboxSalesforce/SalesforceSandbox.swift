public import Foundation
import Hummingbird
import Logging
public import ServiceLifecycle
import Synchronization

// MARK: - SalesforceSandbox

/// A Salesforce REST / Bulk API 2.0 emulator served over real HTTP on loopback.
///
/// It answers OAuth (client credentials, JWT bearer), query, sObject create/update/upsert, sObject
/// Collections, composite and Bulk API 2.0 ingest with Salesforce's paths, shapes and error codes; enforces
/// token expiry, the daily request allocation, long-running concurrency, field types and CampaignMember rules;
/// injects faults; and lets tests inspect everything it stored. See SandboxSalesforce.docc/SandboxSalesforce.md.
///
/// ```swift
/// let sandbox = try SalesforceSandbox(setup: .standard())
/// let task = Task { try await sandbox.run() }
/// let baseURL = try await sandbox.waitUntilRunning()
/// ```
public final class SalesforceSandbox: Service, Sendable {
    /// The setup it was created from.
    public let setup: SalesforceSandboxSetup
    /// The options it was created with.
    public let options: Options
    let store: SandboxStore
    private let running = Mutex<RunningState>(RunningState())

    private struct RunningState {
        var baseURL: URL?
        var stopped: (any Error)?
        var waiters: [CheckedContinuation<URL, any Error>] = []
    }

    /// Creates a sandbox; nothing listens until ``run()``.
    /// - Throws: ``SetupError`` when the setup cannot be served.
    public init(setup: SalesforceSandboxSetup, options: Options = Options()) throws(SetupError) {
        self.setup = setup
        self.options = options
        self.store = try SandboxStore(setup: setup, timeScale: options.timeScale, logger: options.logger)
    }

    // MARK: - Running

    /// Serves HTTP until the task is cancelled or a graceful shutdown is signalled (it is a `Service`).
    public func run() async throws {
        let store = self.store
        let responder = CallbackResponder<SandboxRequestContext> { request, context in
            try await Self.respond(to: request, context: context, store: store)
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port)),
            onServerRunning: { [weak self] channel in
                guard let self, let port = channel.localAddress?.port else { return }
                self.markRunning(port: port)
            },
            logger: options.logger
        )
        do {
            try await app.run()
            stop(with: SandboxStoppedError(reason: "the server stopped"))
        } catch {
            stop(with: error)
            throw error
        }
    }

    /// The base URL (`http://host:port`) once the server listens; nil before.
    public var baseURL: URL? {
        running.withLock { $0.baseURL }
    }

    /// Waits until the server listens and returns its base URL (the `instance_url` tokens carry).
    /// - Throws: The error ``run()`` stopped with (e.g. the port is taken), if it stops before listening.
    public func waitUntilRunning() async throws -> URL {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<URL, any Error>? = running.withLock { state in
                if let url = state.baseURL { return .success(url) }
                if let stopped = state.stopped { return .failure(stopped) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func stop(with error: any Error) {
        let waiters = running.withLock { state in
            state.stopped = error
            state.baseURL = nil
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume(throwing: error)
        }
    }

    private func markRunning(port: Int) {
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        let text = "http://\(host):\(port)"
        guard let url = URL(string: text) else { return }
        store.state.withLock { $0.baseURL = text }
        let waiters = running.withLock { state in
            state.baseURL = url
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume(returning: url)
        }
    }

    // MARK: - HTTP

    private static func respond(
        to request: Request,
        context: SandboxRequestContext,
        store: SandboxStore
    ) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        var headers: [String: String] = [:]
        var headerLength = 0
        for field in request.headers {
            headers[field.name.canonicalName.lowercased()] = field.value
            headerLength += field.name.canonicalName.utf8.count + field.value.utf8.count + 4
        }
        let input = SandboxHTTPRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: FormEncoding.decode(request.uri.query ?? ""),
            headers: headers,
            body: Array(buffer.readableBytesView),
            uriLength: request.uri.string.utf8.count,
            headerLength: headerLength
        )
        let output: SandboxHTTPResponse
        switch store.begin(input) {
        case .answer(let answer):
            output = answer
        case .delayedAnswer(let latency, let answer):
            try? await Task.sleep(for: .milliseconds(latency))
            output = answer
        case .drop:
            await context.dropConnection()
            throw HTTPError(.internalServerError, message: "connection dropped by an injected fault")
        case .proceed(let latency, let ticket):
            if latency > 0 {
                try? await Task.sleep(for: .milliseconds(latency))
            }
            output = store.finish(ticket)
            if ticket.dropsAnswer {
                await context.dropConnection()
                throw HTTPError(.internalServerError, message: "connection dropped after the call by an injected fault")
            }
        }
        var fields = HTTPFields()
        for (name, value) in output.headers {
            if let fieldName = HTTPFields.Element.Name(name) {
                fields.append(HTTPFields.Element(name: fieldName, value: value))
            }
        }
        return Response(
            status: HTTPResponse.Status(code: output.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: output.body))
        )
    }
}
