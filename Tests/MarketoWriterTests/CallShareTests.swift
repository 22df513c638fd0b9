import Config
import Delivery
import Foundation
import Testing

/// Marketo's call share is divided between writer pods once, by the runtime: a tenant's `callShare` is what
/// LeadSync as a whole may use of the subscription, whatever the pod count. Checked on the production overlay's
/// configuration and the writers' ScaledObject, as deployed.
@Suite("Marketo call share: divided once, by the pods themselves")
struct CallShareTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The marketo writer's maxReplicaCount in k8s/base.
    static func maxWriterPods() throws -> Int {
        let text = try String(
            contentsOf: repository.appendingPathComponent("k8s/base/writer-marketo-scaledobject.yaml"),
            encoding: .utf8
        )
        let match = try #require(text.firstMatch(of: /maxReplicaCount: ([0-9]+)/))
        return try #require(Int(match.1))
    }

    /// Calls a limiter lets start at once (within one rate window).
    static func callsStartingAtOnce(_ limiter: CallLimiter, trying attempts: Int) async -> Int {
        var started = 0
        for _ in 0..<attempts {
            let call = Task { try await limiter.acquire() }
            let timeout = Task {
                try await Task.sleep(for: .milliseconds(100))
                call.cancel()
            }
            if case .success = await call.result {
                started += 1
                limiter.release()
                timeout.cancel()
            } else {
                break
            }
        }
        return started
    }

    @Test("prod's writer pods together start callShare x 100 calls per 20 s, not callShare / pods")
    func prodShareDividedOnce() async throws {
        let config = try LeadSyncConfig.load(
            path: Self.repository.appendingPathComponent("k8s/overlays/prod/leadsync.yaml").path,
            environment: [:]
        )
        let pods = try Self.maxWriterPods()
        #expect(pods >= 2, "the check needs several pods")
        for tenant in config.tenants {
            guard let marketo = tenant.marketo else { continue }
            let limits = CallLimits.marketo(callShare: marketo.callShare, dailyCalls: marketo.dailyCallBudget)
            var total = 0
            for _ in 0..<pods {
                // Each pod owns 12 / pods of the 12 command partitions.
                let limiter = CallLimiter(limits: limits)
                limiter.setInstanceShare(1 / Double(pods))
                total += await Self.callsStartingAtOnce(limiter, trying: 120)
            }
            let subscriptionShare = Double(total) / 100
            #expect(
                abs(subscriptionShare - marketo.callShare) <= Double(pods) / 100,
                "tenant \(tenant.tenant): \(pods) pods use \(subscriptionShare), callShare \(marketo.callShare)"
            )
        }
    }
}
