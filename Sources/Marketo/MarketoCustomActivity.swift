public import Foundation

/// One custom activity to add (Add Custom Activities).
public struct MarketoCustomActivity: Sendable, Hashable {
    /// The lead the activity belongs to.
    public var leadId: Int
    /// When it happened; sent as ISO 8601 with a UTC offset.
    public var activityDate: Date
    /// The numeric activity type id (from ``MarketoClient/customActivityTypes()``), not its API name.
    public var activityTypeId: Int
    /// The value of the type's primary attribute (for `userSessionEngagement`: the entry id).
    public var primaryAttributeValue: String
    /// The secondary attributes by API name.
    public var attributes: [String: MarketoFieldValue]

    /// Creates an activity.
    public init(
        leadId: Int,
        activityDate: Date,
        activityTypeId: Int,
        primaryAttributeValue: String,
        attributes: [String: MarketoFieldValue] = [:]
    ) {
        self.leadId = leadId
        self.activityDate = activityDate
        self.activityTypeId = activityTypeId
        self.primaryAttributeValue = primaryAttributeValue
        self.attributes = attributes
    }

    /// `activityDate` as Marketo takes it: `2026-11-24T21:42:13Z` (whole seconds, UTC).
    public var activityDateText: String {
        activityDate.formatted(
            Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0) ?? .current)
        )
    }
}
