import Delivery
import Foundation
import Salesforce

// MARK: - SalesforceTenant + Calls

extension SalesforceTenant {
    /// Runs one API call inside the tenant's limits and classifies its failure.
    ///
    /// Before the call: parks the limiter when the tenant's share of the daily allocation is spent, or the org
    /// reported no request left. The call holds one limiter slot. A rate or concurrency answer
    /// (`ConcurrentPerOrgLongTxn`, 420, 429) slows the limiter and is retried here up to
    /// ``SalesforceSinkOptions/rateLimitRetries`` times; `TotalRequests` parks the limiter. Refused credentials
    /// have already been re-read by the client (and the call retried when they changed).
    /// - Parameters:
    ///   - limiter: The batch's limiter.
    ///   - context: What the call does, for failure messages.
    ///   - call: The client call.
    func perform<Value: Sendable>(
        _ limiter: CallLimiter,
        context: String,
        _ call: (SalesforceClient) async throws(SalesforceError) -> Value
    ) async -> Result<Value, DeliveryFailure> {
        var rateLimitedAttempts = 0
        while true {
            if let failure = spentAllocation(limiter) { return .failure(failure) }
            let client: SalesforceClient
            do {
                client = try self.client()
            } catch {
                return .failure(error)
            }
            do {
                try await limiter.acquire()
            } catch {
                return .failure(error.deliveryFailure)
            }
            let outcome: Result<Value, SalesforceError>
            do {
                outcome = .success(try await call(client))
            } catch {
                outcome = .failure(error)
            }
            limiter.release()
            if let usage = client.apiUsage {
                budget.update(used: usage.used, allocation: usage.max)
                metrics.apiUsage(tenant: tenant, used: usage.used, allocation: usage.max)
            }
            switch outcome {
            case .success(let value):
                return .success(value)
            case .failure(let error):
                let failure = DeliveryFailure.salesforce(error, context: context, quotaPark: options.quotaPark)
                switch failure.errorClass {
                case .rateLimited:
                    limiter.reportRateLimited()
                    if rateLimitedAttempts < options.rateLimitRetries {
                        rateLimitedAttempts += 1
                        continue
                    }
                case .quotaExhausted:
                    let until = failure.resumeAt ?? Date().addingTimeInterval(options.quotaPark.secondsValue)
                    limiter.park(until: until)
                    budget.forgetOrgUsage()
                    metrics.parked(tenant: tenant, reason: "request_limit_exceeded")
                    logger.warning(
                        "Salesforce daily request allocation spent; tenant parked",
                        metadata: [
                            SalesforceWriterLogKey.tenant: "\(tenant)", SalesforceWriterLogKey.resumeAt: "\(until)",
                        ]
                    )
                case .authentication:
                    logger.error(
                        "Salesforce refused the tenant's credentials",
                        metadata: [
                            SalesforceWriterLogKey.tenant: "\(tenant)",
                            SalesforceWriterLogKey.error: "\(error.errorCode ?? "-")",
                        ]
                    )
                default:
                    break
                }
                return .failure(failure)
            }
        }
    }

    /// Parks the limiter and returns the failure when the tenant may not call now: its share of the org's
    /// rolling allocation is spent, or the org's last answer said no request is left.
    private func spentAllocation(_ limiter: CallLimiter) -> DeliveryFailure? {
        let now = Date()
        if let until = budget.spentUntil(at: now) {
            limiter.park(until: until)
            metrics.parked(tenant: tenant, reason: "share_spent")
            let allocation = budget.allocation ?? 0
            let percent = Int((budget.share * 100).rounded())
            return DeliveryFailure(
                errorClass: .quotaExhausted,
                code: "daily_share_spent",
                message: "tenant \(tenant) has made \(budget.callsInWindow(at: now)) Salesforce requests in 24 hours, "
                    + "its share (\(percent)%) of the org's allocation of \(allocation); calls resume at \(until) "
                    + "(raise salesforce.dailyRequestShare to allow more)",
                resumeAt: until
            )
        }
        if budget.orgRemaining == 0 {
            let until = now.addingTimeInterval(options.quotaPark.secondsValue)
            limiter.park(until: until)
            budget.forgetOrgUsage()
            metrics.parked(tenant: tenant, reason: "org_exhausted")
            return DeliveryFailure(
                errorClass: .quotaExhausted,
                code: "org_allocation_spent",
                message: "the Salesforce org of tenant \(tenant) reported no API request left in its rolling 24-hour "
                    + "allocation; trying again at \(until)",
                resumeAt: until
            )
        }
        return nil
    }
}
