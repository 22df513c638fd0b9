public import Foundation
public import Hummingbird
import Logging
import Synchronization

/// A Marketo REST and Bulk API emulator on loopback HTTP.
///
/// ```swift
/// let sandbox = try MarketoSandbox(setup: .standard())
/// async let running: Void = sandbox.run()          // or add `sandbox.makeApplication()` to a ServiceGroup
/// let base = try await sandbox.baseURL()           // http://127.0.0.1:<port>
/// // … talk to it like to https://{munchkinId}.mktorest.com …
/// let state = sandbox.snapshot("123-ABC-456")
/// ```
///
/// All subscriptions share one port; the access token says which subscription a call is for. See
/// `SandboxMarketo.docc/SandboxMarketo.md` for the endpoints, the choices made where the reference is silent, and the
/// `/_sandbox/...` inspection and fault endpoints.
public final class MarketoSandbox: Sendable {
    /// The setup the sandbox was created with.
    public let setup: MarketoSandboxSetup
    /// The options it was created with.
    public let options: MarketoSandboxOptions

    let store: MarketoStore
    private let binding = Mutex<Binding>(Binding())

    private struct Binding {
        var port: Int?
        var stopped = false
        var waiters: [CheckedContinuation<Int, any Error>] = []
    }

    /// Creates a sandbox; nothing listens until ``run()`` (or the application from ``makeApplication()``) runs.
    /// - Throws: ``MarketoSandboxError`` with code `invalidSetup` listing the setup's problems.
    public init(
        setup: MarketoSandboxSetup = .standard(),
        options: MarketoSandboxOptions = MarketoSandboxOptions()
    )
        throws
    {
        let problems = setup.problems()
        guard problems.isEmpty, !setup.subscriptions.isEmpty else {
            let message = problems.isEmpty ? "no subscriptions" : problems.joined(separator: "; ")
            throw MarketoSandboxError(code: .invalidSetup, message: message)
        }
        self.setup = setup
        self.options = options
        self.store = MarketoStore(setup: setup, options: options)
    }

    // MARK: - Running

    /// The Hummingbird application serving the sandbox: a `Service` to run in a `ServiceGroup`. Run it once.
    public func makeApplication() -> some ApplicationProtocol {
        Application(
            responder: MarketoResponder(store: store),
            configuration: ApplicationConfiguration(
                address: .hostname(options.host, port: options.port),
                serverName: "leadsync-sandbox-marketo"
            ),
            onServerRunning: { [self] channel in
                self.bound(port: channel.localAddress?.port ?? self.options.port)
            },
            logger: options.logger
        )
    }

    /// Serves until the task is cancelled or graceful shutdown is triggered.
    public func run() async throws {
        defer { stopped() }
        try await makeApplication().run()
    }

    /// The bound port once the server is listening, else nil.
    public var port: Int? { binding.withLock { $0.port } }

    /// `http://{host}:{port}`, waiting until the server is listening.
    /// - Throws: ``MarketoSandboxError`` `notRunning` if the server stopped before binding.
    public func baseURL() async throws -> URL {
        let port = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            let ready: Result<Int, any Error>? = binding.withLock { binding in
                if let port = binding.port { return .success(port) }
                if binding.stopped {
                    return .failure(MarketoSandboxError(code: .notRunning, message: "the sandbox server stopped"))
                }
                binding.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        guard let url = URL(string: "http://\(host):\(port)") else {
            throw MarketoSandboxError(code: .notRunning, message: "no URL for host \(options.host)")
        }
        return url
    }

    private func bound(port: Int) {
        let waiters = binding.withLock { binding in
            binding.port = port
            defer { binding.waiters.removeAll() }
            return binding.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func stopped() {
        let waiters = binding.withLock { binding in
            binding.stopped = true
            binding.port = nil
            defer { binding.waiters.removeAll() }
            return binding.waiters
        }
        let error = MarketoSandboxError(code: .notRunning, message: "the sandbox server stopped before binding")
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    // MARK: - Inspection

    /// Everything a subscription holds now, or nil for an unknown munchkin id.
    public func snapshot(_ munchkinId: String) -> MarketoSubscriptionSnapshot? {
        store.snapshot(munchkinId)
    }

    /// The call log in arrival order: one subscription's calls, or every call (unauthenticated ones included).
    /// It keeps the latest ``MarketoSandboxOptions/callLogLimit`` calls.
    public func calls(munchkinId: String? = nil) -> [SandboxCall] {
        store.calls(munchkinId: munchkinId)
    }

    /// Totals over every call since the start (or the last ``clearCalls()``), for one subscription or all;
    /// exact even after the log dropped old entries (see ``MarketoSandboxOptions/callLogLimit``).
    public func counters(munchkinId: String? = nil) -> SandboxCounters {
        store.counters(munchkinId: munchkinId)
    }

    /// Empties the call log and resets the counters.
    public func clearCalls() {
        store.clearCalls()
    }

    // MARK: - Faults and tokens

    /// Adds a fault rule; returns it with the id it got.
    @discardableResult
    public func addFault(_ rule: MarketoFault) -> MarketoFault {
        store.addFault(rule)
    }

    /// The fault rules in force, with how often each fired.
    public func faults() -> [MarketoFault] {
        store.faults()
    }

    /// Removes one fault rule (by id), the rules scoped to one subscription, or all when both are nil.
    /// - Returns: how many were removed.
    @discardableResult
    public func removeFaults(id: String? = nil, munchkinId: String? = nil) -> Int {
        store.removeFaults(id: id, munchkinId: munchkinId)
    }

    // MARK: - Clock

    /// Moves the sandbox clock forward by `seconds` of sandbox time (scaled by
    /// ``MarketoSandboxOptions/timeScale`` like every other duration): tokens expire, the rate window empties,
    /// bulk jobs progress and the quota day turns as if that time had passed. `POST /_sandbox/clock/advance`
    /// does the same over HTTP.
    /// - Parameter seconds: Sandbox seconds, >= 0.
    /// - Returns: The sandbox's clock reading afterwards.
    @discardableResult
    public func advanceClock(by seconds: TimeInterval) -> Date {
        store.advanceClock(bySandboxSeconds: seconds)
    }

    /// The sandbox's clock reading now: the options' clock plus every ``advanceClock(by:)``.
    public func now() -> Date {
        store.now()
    }

    /// Puts the sandbox back as its setup describes it, without restarting: every subscription's data, jobs,
    /// tokens, limit counters, the call log, the counters and the fault rules are cleared (`POST /_sandbox/reset`
    /// over HTTP). The clock keeps its reading; calls in flight finish against the fresh state.
    public func reset() {
        store.reset()
    }

    /// Replaces a subscription's client secret, as an admin does when rotating it
    /// (`POST /_sandbox/subscriptions/{munchkinId}/credentials` over HTTP). The old secret is refused from now on;
    /// with `revokingTokens` the subscription's tokens are unknown at once (601), else they live until they expire.
    /// - Returns: Whether the subscription exists.
    @discardableResult
    public func rotateClientSecret(munchkinId: String, to secret: String, revokingTokens: Bool = false) -> Bool {
        store.rotateClientSecret(munchkinId: munchkinId, to: secret, revokingTokens: revokingTokens)
    }

    /// Makes the current access tokens expire now (one subscription's or all), so the next call gets 602.
    public func expireTokens(munchkinId: String? = nil) {
        store.expireTokens(munchkinId: munchkinId)
    }
}
