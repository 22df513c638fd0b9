import Basics
import Delivery
import Foundation
import Salesforce

// MARK: - DeliveryFailure + Salesforce

extension DeliveryFailure {
    /// A failed Salesforce call, classified as docs/architecture.md's table says.
    ///
    /// | client classification | delivery class |
    /// |---|---|
    /// | retry: `ConcurrentPerOrgLongTxn`, HTTP 420/429 | rateLimited |
    /// | retry: timeouts, 5xx, locks, no answer | transient |
    /// | reauth (401 after the one refresh), authenticationFailed (token endpoint refused) | authentication |
    /// | quotaExhausted (`TotalRequests`) | quotaExhausted, `resumeAt` = now + `quotaPark` |
    /// | permanent, duplicateValue | permanent |
    /// | rolledBack | transient |
    /// - Parameters:
    ///   - error: The client's error.
    ///   - context: What was being done, for the message (`CampaignMember upsert of 200 rows`).
    ///   - quotaPark: How long a spent daily allocation parks the tenant.
    static func salesforce(_ error: SalesforceError, context: String, quotaPark: Duration) -> DeliveryFailure {
        var message = "\(context): Salesforce \(error.endpoint.name)"
        if let status = error.httpStatus { message += " answered HTTP \(status)" } else { message += " failed" }
        if let code = error.errorCode { message += " \(code)" }
        if !error.fields.isEmpty { message += " on \(error.fields.joined(separator: ", "))" }
        if !error.message.isEmpty { message += ": \(error.message)" }
        let code = deliveryCode(errorCode: error.errorCode, httpStatus: error.httpStatus)
        switch error.classification {
        case .retry:
            return DeliveryFailure(
                errorClass: isRateLimit(error) ? .rateLimited : .transient,
                code: code,
                message: message
            )
        case .reauth:
            return DeliveryFailure(
                errorClass: .authentication,
                code: code,
                message: message + " (the session was refused again after a token refresh)"
            )
        case .authenticationFailed:
            return DeliveryFailure(
                errorClass: .authentication,
                code: code,
                message: message + " (check the tenant's connected app credentials)"
            )
        case .quotaExhausted:
            return DeliveryFailure(
                errorClass: .quotaExhausted,
                code: code,
                message: message,
                resumeAt: Date().addingTimeInterval(quotaPark.seconds)
            )
        case .permanent, .duplicateValue:
            return DeliveryFailure(errorClass: .permanent, code: code, message: message)
        case .rolledBack:
            return DeliveryFailure(errorClass: .transient, code: code, message: message)
        }
    }

    /// A failed row of a collections call or a bulk job.
    /// - Parameters:
    ///   - error: The row's first error.
    ///   - context: The record and what was sent (`CampaignMember 701…_00Q… Status=Attended`).
    static func salesforceRow(_ error: SalesforceRowError, context: String) -> DeliveryFailure {
        var message = "\(context): Salesforce rejected the record: \(error.statusCode)"
        if !error.fields.isEmpty { message += " on \(error.fields.joined(separator: ", "))" }
        if !error.message.isEmpty { message += ": \(error.message)" }
        let errorClass: DeliveryErrorClass
        switch error.classification {
        case .retry, .rolledBack: errorClass = .transient
        case .reauth, .authenticationFailed: errorClass = .authentication
        case .quotaExhausted: errorClass = .transient
        case .permanent, .duplicateValue: errorClass = .permanent
        }
        return DeliveryFailure(errorClass: errorClass, code: error.statusCode, message: message)
    }

    /// Whether a retriable answer is Salesforce saying "slow down": too many long-running requests, or the edge's
    /// 420/429.
    static func isRateLimit(_ error: SalesforceError) -> Bool {
        if error.errorCode == "REQUEST_LIMIT_EXCEEDED" { return true }
        return error.httpStatus == 420 || error.httpStatus == 429
    }

    private static func deliveryCode(errorCode: String?, httpStatus: Int?) -> String {
        switch errorCode {
        case SalesforceError.Code.network?: return "transport"
        case SalesforceError.Code.bulkJobTimeout?: return "timeout"
        case let code?: return code
        case nil: return httpStatus.map { "http_\($0)" } ?? "transport"
        }
    }
}
