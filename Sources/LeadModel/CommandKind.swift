// MARK: - CommandKind

/// What a command asks a writer to do. The raw values are the `kind` field of command JSON.
public enum CommandKind: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Set the program member status (Marketo) / campaign member status (Salesforce).
    case memberStatus
    /// Upsert the engagement custom object (Marketo `kalturaUserSessionEngagement`, Salesforce
    /// `UserSessionEngagement__c`).
    case engagementUpsert
    /// Append the Marketo custom activity `userSessionEngagement` (Marketo only).
    case engagementActivity

    /// The raw value.
    public var description: String { rawValue }
}
