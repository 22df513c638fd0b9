import Foundation
import SandboxMarketo
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
