import Delivery
import Foundation
import LeadModel
import Synchronization

/// The CRM side of the runtime tests: answers each command by a script (per command id, one outcome per
/// attempt; delivered when the script says nothing) and records every batch it was handed.
final class ScriptedSink: DeliverySink {
    struct Call: Sendable {
        var tenant: String
        var items: [DeliveryItem]
        var outcomes: [DeliveryOutcome]
        var at: Date
    }

    let destination: Destination = .salesforce
    private let script = Mutex<[String: [DeliveryOutcome]]>([:])
    private let quota = Mutex<[String: TimeInterval]>([:])
    private let quotaResets = Mutex<[String: Date]>([:])
    private let log = Mutex<[Call]>([])
    private let subscriptions: [String: String]

    /// - Parameter subscriptions: tenant -> subscription; tenants not listed are unknown to the sink.
    init(subscriptions: [String: String]) {
        self.subscriptions = subscriptions
    }

    /// Answers the command's next deliveries with these outcomes, in order.
    func script(_ commandId: CommandID, _ outcomes: [DeliveryOutcome]) {
        script.withLock { $0[commandId.rawValue] = outcomes }
    }

    /// The subscription's next call finds its quota spent for `seconds` from then.
    func exhaustQuota(of subscription: String, forSeconds seconds: TimeInterval) {
        quota.withLock { $0[subscription] = seconds }
    }

    /// When the spent quota of `subscription` resets (set by its failed call).
    func quotaResets(of subscription: String) -> Date? { quotaResets.withLock { $0[subscription] } }

    var calls: [Call] { log.withLock { $0 } }

    /// Command ids delivered, in delivery order.
    var delivered: [String] {
        calls.flatMap { call in
            zip(call.items, call.outcomes).compactMap { item, outcome in
                outcome == .delivered ? item.command.commandId.rawValue : nil
            }
        }
    }

    func limits(forTenant tenant: String) -> CallLimits? {
        subscriptions[tenant] == nil ? nil : CallLimits(callsPerWindow: 1000, window: .seconds(1), concurrentCalls: 4)
    }

    func subscription(ofTenant tenant: String) -> String { subscriptions[tenant] ?? tenant }

    func deliver(_ batch: DeliveryBatch) async -> [DeliveryOutcome] {
        let subscription = subscription(ofTenant: batch.tenant)
        // Like a CRM: from the first call that finds the quota spent, every call fails until it resets.
        let spent = quota.withLock { quota -> Date? in
            guard let seconds = quota.removeValue(forKey: subscription) else { return nil }
            return Date().addingTimeInterval(seconds)
        }
        let spentUntil = quotaResets.withLock { resets -> Date? in
            if let spent { resets[subscription] = spent }
            guard let until = resets[subscription], until > Date() else { return nil }
            return until
        }
        let outcomes: [DeliveryOutcome] = batch.items.map { item in
            if let spentUntil {
                return .failed(
                    DeliveryFailure(
                        errorClass: .quotaExhausted,
                        code: "REQUEST_LIMIT_EXCEEDED",
                        message: "quota",
                        resumeAt: spentUntil
                    )
                )
            }
            return script.withLock { script in
                guard var outcomes = script[item.command.commandId.rawValue], !outcomes.isEmpty else {
                    return .delivered
                }
                let next = outcomes.removeFirst()
                script[item.command.commandId.rawValue] = outcomes
                return next
            }
        }
        log.withLock { $0.append(Call(tenant: batch.tenant, items: batch.items, outcomes: outcomes, at: Date())) }
        return outcomes
    }
}

extension DeliveryOutcome {
    static let transient = DeliveryOutcome.failed(
        DeliveryFailure(errorClass: .transient, code: "http_503", message: "Service Unavailable")
    )
    static func permanent(_ code: String) -> DeliveryOutcome {
        .failed(DeliveryFailure(errorClass: .permanent, code: code, message: "rejected: \(code)"))
    }
}
