// MARK: - SalesforceWriterLogKey

/// The metadata keys of the writer's log messages, in one place. Messages are constant; values never hold a
/// secret or an email.
enum SalesforceWriterLogKey {
    /// The tenant id.
    static let tenant = "tenant"
    /// Salesforce's error code, or the cache file's error.
    static let error = "salesforce.error"
    /// Until when a parked tenant waits.
    static let resumeAt = "salesforce.resume_at"
    /// Which kind of record two commands competed for.
    static let record = "salesforce.record"
}
