// MARK: - MarketoWriterLoggingKeys

/// The metadata keys of the Marketo writer's log messages, in one place (messages are constant; emails and secrets
/// never appear in metadata).
enum MarketoWriterLoggingKeys {
    /// The tenant.
    static let tenant = "tenant"
    /// The Marketo subscription.
    static let munchkinId = "munchkinId"
    /// Marketo's code of a refusal.
    static let code = "code"
    /// Why something was refused or failed.
    static let reason = "reason"
    /// An error's description.
    static let error = "error"
    /// When a parked tenant resumes.
    static let resumeAt = "resumeAt"
    /// The custom activity type.
    static let activityType = "activityType"
    /// An attribute name.
    static let attribute = "attribute"
}
