import Basics
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
    /// ``SalesforceSinkOptions/rateLimitRetries`` times. Any other `REQUEST_LIMIT_EXCEEDED` is checked against
    /// `GET /limits` before anything is parked: only a spent daily allocation (`DailyApiRequests` at 0, or `/limits`
    /// refused for the same reason) parks the tenant for ``SalesforceSinkOptions/quotaPark``; with requests left it
    /// is a rate limit; an unreadable `/limits` parks for ``SalesforceSinkOptions/quotaRecheck`` and looks again.
    /// Refused credentials have already been re-read by the client (and the call retried when they changed).
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
                    switch await allocation(client) {
                    case .available(let remaining, let max):
                        // Not the daily allocation (a refused token call, a burst): slow down, keep going.
                        metrics.limitChecks(tenant: tenant, result: "available")
                        logger.notice(
                            "Salesforce answered REQUEST_LIMIT_EXCEEDED with daily requests left; not parking",
                            metadata: [
                                SalesforceWriterLogKey.tenant: "\(tenant)", "remaining": "\(remaining)",
                                "max": "\(max)",
                            ]
                        )
                        limiter.reportRateLimited()
                        if rateLimitedAttempts < options.rateLimitRetries {
                            rateLimitedAttempts += 1
                            continue
                        }
                        return .failure(
                            DeliveryFailure(
                                errorClass: .rateLimited,
                                code: failure.code,
                                message: failure.message + " (the org still has \(remaining) of \(max) daily requests: "
                                    + "treated as a rate limit, not parked)"
                            )
                        )
                    case .spent(let max):
                        metrics.limitChecks(tenant: tenant, result: "spent")
                        let until = Date().addingTimeInterval(options.quotaPark.seconds)
                        return .failure(
                            park(
                                limiter,
                                until: until,
                                reason: "allocation_spent",
                                failure: failure,
                                note: "the org's daily allocation (DailyApiRequests "
                                    + "\(max.map(String.init) ?? "?")) is spent"
                            )
                        )
                    case .unknown(let why):
                        metrics.limitChecks(tenant: tenant, result: "unknown")
                        let wait = min(options.quotaRecheck.seconds, options.quotaPark.seconds)
                        return .failure(
                            park(
                                limiter,
                                until: Date().addingTimeInterval(wait),
                                reason: "limits_unknown",
                                failure: failure,
                                note: "GET /limits could not tell (\(why)); looking again then"
                            )
                        )
                    }
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

    /// What `GET /limits` says of the org's daily allocation after a `REQUEST_LIMIT_EXCEEDED`.
    enum AllocationCheck {
        case available(remaining: Int, max: Int)
        case spent(max: Int?)
        case unknown(String)
    }

    /// Reads `GET /limits` (one request, counted like any other) to tell a spent daily allocation from anything
    /// else that answers `REQUEST_LIMIT_EXCEEDED`.
    func allocation(_ client: SalesforceClient) async -> AllocationCheck {
        do {
            let limits = try await client.limits()
            guard let daily = limits["DailyApiRequests"] else { return .unknown("no DailyApiRequests in /limits") }
            budget.update(used: daily.max - daily.remaining, allocation: daily.max)
            return daily.remaining > 0 ? .available(remaining: daily.remaining, max: daily.max) : .spent(max: daily.max)
        } catch {
            if error.errorCode == "REQUEST_LIMIT_EXCEEDED" && !error.message.contains("ConcurrentPerOrgLongTxn") {
                return .spent(max: budget.allocation)
            }
            return .unknown("\(error.errorCode ?? "no answer"): \(error.message.prefix(200))")
        }
    }

    /// Parks the tenant's limiter until `until` and returns the quota failure that says why.
    private func park(
        _ limiter: CallLimiter,
        until: Date,
        reason: String,
        failure: DeliveryFailure,
        note: String
    ) -> DeliveryFailure {
        limiter.park(until: until)
        budget.forgetOrgUsage()
        metrics.parked(tenant: tenant, reason: reason)
        logger.warning(
            "Salesforce tenant parked",
            metadata: [
                SalesforceWriterLogKey.tenant: "\(tenant)", SalesforceWriterLogKey.resumeAt: "\(until)",
                "reason": "\(reason)",
            ]
        )
        var parked = failure
        parked.resumeAt = until
        parked.message += " (\(note); calls resume at \(until))"
        return parked
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
            let until = now.addingTimeInterval(options.quotaPark.seconds)
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
