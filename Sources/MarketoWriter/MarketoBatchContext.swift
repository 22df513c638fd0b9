import Delivery
import Foundation
import Logging
import Marketo

// MARK: - MarketoBatchContext

/// What every step of one batch's delivery needs: the tenant's connection, the batch's limiter, the cache and the
/// sink's options. A value shared by the concurrent calls of the batch.
struct MarketoBatchContext: Sendable {
    let connection: MarketoTenantConnection
    let limiter: CallLimiter
    let cache: MarketoWriterCache
    let options: MarketoSinkOptions
    let metrics: MarketoSinkMetrics
    /// Records per REST call (the writer setting, at most Marketo's 300).
    let recordsPerCall: Int
    let logger: Logger

    var client: MarketoClient { connection.client }

    /// Runs one API call inside the tenant's limits.
    ///
    /// A 606/615 answer slows the limiter down and repeats the call (up to ``MarketoSinkOptions/rateLimitRetries``
    /// times); a 607 parks the limiter until midnight in Chicago and fails as `quotaExhausted`; every other failure
    /// is classified by ``MarketoFailureClass``. A refused slot fails by the limiter's reason.
    func call<Value: Sendable>(_ body: @Sendable () async throws -> Value) async -> Result<Value, DeliveryFailure> {
        await attempt(body).result
    }

    /// ``call(_:)``, also saying whether a failed call may have been carried out by Marketo (its answer was lost,
    /// or Marketo's front end failed): a call that appends must then be settled by reading back.
    func attempt<Value: Sendable>(
        _ body: @Sendable () async throws -> Value
    ) async -> (result: Result<Value, DeliveryFailure>, mayHaveBeenProcessed: Bool) {
        var rateLimitedAnswers = 0
        while true {
            do {
                try await limiter.acquire()
            } catch {
                return (.failure(error.deliveryFailure), false)
            }
            let result: Result<Value, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            limiter.release()
            switch result {
            case .success(let value):
                return (.success(value), false)
            case .failure(let error as MarketoError):
                switch error.failureClass {
                case .rateLimited:
                    limiter.reportRateLimited()
                    rateLimitedAnswers += 1
                    if rateLimitedAnswers <= options.rateLimitRetries { continue }
                    return (.failure(failure(error)), false)
                case .quotaExhausted:
                    return (.failure(quotaExhausted(code: error.resultCode, message: error.description)), false)
                default:
                    return (.failure(failure(error)), error.mayHaveBeenProcessed)
                }
            case .failure(let error as EffectLedgerError):
                // The intent could not be recorded: nothing was sent.
                return (
                    .failure(
                        DeliveryFailure(
                            errorClass: .transient,
                            code: "ledger_unavailable",
                            message: "tenant \(connection.tenant): nothing sent, the intent was not recorded: "
                                + "\(error)"
                        )
                    ),
                    false
                )
            case .failure(let error as CancellationError):
                return (
                    .failure(
                        DeliveryFailure(errorClass: .transient, code: "cancelled", message: "cancelled: \(error)")
                    ),
                    true
                )
            case .failure(let error):
                return (
                    .failure(
                        DeliveryFailure(
                            errorClass: .transient,
                            code: "transport",
                            message: "Marketo call failed: \(error)"
                        )
                    ),
                    true
                )
            }
        }
    }

    /// A failed call as the runtime's failure.
    func failure(_ error: MarketoError) -> DeliveryFailure {
        DeliveryFailure(
            errorClass: error.failureClass.deliveryErrorClass,
            code: error.resultCode,
            message: "tenant \(connection.tenant) (munchkin \(connection.munchkinId)): \(error.description)"
        )
    }

    /// Parks the tenant's limiter until Marketo's quota resets and returns the failure that says so.
    func quotaExhausted(code: String, message: String) -> DeliveryFailure {
        let resumeAt = ChicagoMidnight.next(after: Date())
        limiter.park(until: resumeAt)
        logger.warning(
            "Marketo daily quota spent; tenant parked",
            metadata: [
                MarketoWriterLoggingKeys.tenant: "\(connection.tenant)",
                MarketoWriterLoggingKeys.munchkinId: "\(connection.munchkinId)",
                MarketoWriterLoggingKeys.resumeAt: "\(resumeAt)",
            ]
        )
        return DeliveryFailure(
            errorClass: .quotaExhausted,
            code: code,
            message: "the daily API quota of Marketo subscription \(connection.munchkinId) is spent; calls resume "
                + "at \(resumeAt) (midnight America/Chicago): \(message)",
            resumeAt: resumeAt
        )
    }

    /// One record of a sync call's answer as the runtime's outcome: delivered; the lead gone (1004, when the
    /// record's email is known: ``leadNotFound(email:leadId:endpoint:requestId:)``); else the record's own failure
    /// (``recordFailure(_:endpoint:requestId:subject:)``).
    func outcome(
        of answer: MarketoRecordOutcome,
        email: String?,
        leadId: Int,
        endpoint: MarketoCallEndpoint,
        requestId: String,
        subject: @autoclosure () -> String
    ) -> DeliveryOutcome {
        guard let failure = answer.failure else { return .delivered }
        if failure.code == "1004", let email {
            return .failed(leadNotFound(email: email, leadId: leadId, endpoint: endpoint, requestId: requestId))
        }
        return .failed(recordFailure(failure, endpoint: endpoint, requestId: requestId, subject: subject()))
    }

    /// A record that Marketo did not apply, as the runtime's failure.
    /// - Parameters:
    ///   - failure: Marketo's per-record failure.
    ///   - endpoint: The call.
    ///   - requestId: The call's request id.
    ///   - subject: What the record was (`program 1001 status 'Registered' for lead 42`), for the person who reads
    ///     the dead letter.
    func recordFailure(
        _ failure: MarketoRecordFailure,
        endpoint: MarketoCallEndpoint,
        requestId: String,
        subject: String
    ) -> DeliveryFailure {
        let message =
            "Marketo \(endpoint.name) did not apply \(subject): \(failure.description) "
            + "(munchkin \(connection.munchkinId), requestId \(requestId.isEmpty ? "none" : requestId))"
        if failure.failureClass == .quotaExhausted {
            return quotaExhausted(code: failure.code ?? "record", message: message)
        }
        return DeliveryFailure(
            errorClass: failure.failureClass.deliveryErrorClass,
            code: failure.code ?? "record_\(failure.status.isEmpty ? "failed" : failure.status)",
            message: message
        )
    }

    /// Marketo no longer knows a lead id the cache held (1004): the cache entry goes and the command is retried,
    /// which resolves the email again.
    func leadNotFound(email: String, leadId: Int, endpoint: MarketoCallEndpoint, requestId: String) -> DeliveryFailure {
        cache.forgetLead(munchkinId: connection.munchkinId, email: email, ifLeadId: leadId)
        return DeliveryFailure(
            errorClass: .transient,
            code: "1004",
            message: "Marketo \(endpoint.name): lead \(leadId) not found in subscription \(connection.munchkinId) "
                + "(requestId \(requestId)); the cached id was dropped and the retry resolves the email again"
        )
    }
}
