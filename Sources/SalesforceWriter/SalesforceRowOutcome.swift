import Delivery
import Salesforce

// MARK: - SalesforceRowOutcome

/// What became of one record of a collections call or a bulk job.
enum SalesforceRowOutcome: Sendable {
    /// Saved (created or updated); the id when Salesforce sent one.
    case saved(id: String?)
    /// Salesforce refused the row.
    case rejected(SalesforceRowError)
    /// The call carrying the row failed (or the bulk job never reached it).
    case notSent(DeliveryFailure)
}
