import Foundation
import Logging
import Marketo
import SandboxMarketo

/// One Marketo sandbox on an ephemeral loopback port, with a manual clock; a suite shares one, each test uses
/// its own subscription.
final class SandboxHarness: Sendable {
    let sandbox: MarketoSandbox
    let clock: ManualClock
    let baseURL: URL

    private init(sandbox: MarketoSandbox, clock: ManualClock, baseURL: URL) {
        self.sandbox = sandbox
        self.clock = clock
        self.baseURL = baseURL
    }

    /// Starts a sandbox holding the given subscriptions.
    static func start(_ subscriptions: [MarketoSandboxSetup.Subscription]) async throws -> SandboxHarness {
        let clock = ManualClock()
        let sandbox = try MarketoSandbox(
            setup: MarketoSandboxSetup(subscriptions: subscriptions),
            options: MarketoSandboxOptions(clock: { clock.now })
        )
        Task { try await sandbox.run() }
        return SandboxHarness(sandbox: sandbox, clock: clock, baseURL: try await sandbox.baseURL())
    }

    /// A subscription with the standard provisioning (channel `Virtual Event`, programs 1001-1003, activity type
    /// `userSessionEngagement` 100001, custom object `kalturaUserSessionEngagement`); client id `<munchkin>-id`,
    /// secret `<munchkin>-secret`.
    static func subscription(
        _ munchkinId: String,
        limits: MarketoSandboxSetup.Limits = .init()
    ) -> MarketoSandboxSetup.Subscription {
        MarketoSandboxSetup.Subscription(
            munchkinId: munchkinId,
            clientId: "\(munchkinId)-id",
            clientSecret: "\(munchkinId)-secret",
            limits: limits
        )
    }

    /// A client of one subscription.
    /// - Parameters:
    ///   - munchkinId: The subscription.
    ///   - recorder: Receives the call accounting.
    ///   - sharesClock: Whether the client reads the sandbox's manual clock for token expiry (else wall clock).
    ///   - secret: A secret other than the right one.
    func client(
        _ munchkinId: String,
        recorder: CallRecorder? = nil,
        sharesClock: Bool = false,
        secret: String? = nil
    ) throws -> MarketoClient {
        let manual = self.clock
        var now: @Sendable () -> Date = { Date() }
        if sharesClock { now = { manual.now } }
        return try MarketoClient(
            configuration: MarketoClientConfiguration(
                baseURL: baseURL,
                clientId: "\(munchkinId)-id",
                clientSecret: secret ?? "\(munchkinId)-secret",
                requestTimeout: .seconds(10),
                logger: Logger(label: "test.marketo.\(munchkinId)"),
                callObserver: recorder?.observer,
                clock: now
            )
        )
    }

    /// The sandbox's call log of one subscription, identity calls included.
    func calls(_ munchkinId: String) -> [SandboxCall] {
        sandbox.calls(munchkinId: munchkinId)
    }

    /// How many identity calls the sandbox saw for a subscription.
    func identityCalls(_ munchkinId: String) -> Int {
        calls(munchkinId).count { $0.endpoint == "/identity/oauth/token" }
    }

    /// The subscription's stored state.
    func snapshot(_ munchkinId: String) throws -> MarketoSubscriptionSnapshot {
        guard let snapshot = sandbox.snapshot(munchkinId) else {
            throw HarnessError(message: "no subscription \(munchkinId)")
        }
        return snapshot
    }
}
