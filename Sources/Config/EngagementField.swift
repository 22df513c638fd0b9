public import LeadModel

// MARK: - EngagementField

/// A piece of an engagement snapshot as the CRMs store it, named in the configuration's field mappings of the
/// Marketo custom activity type and custom object and of the Salesforce engagement object: `entryId`,
/// `entryName`, `channelId`, `channelName`, `virtualEventId`, `email`, `userId`, `lead` (the link to the lead),
/// `campaignMember` (Salesforce's `{campaignId}_{personId}`), `commandId` (the Marketo activity's command id),
/// or a metric by its name in events (`plays`, `vod_minutes_viewed`, …).
public enum EngagementField: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The entry (session) id.
    case entryId
    /// The entry's name.
    case entryName
    /// The channel's numeric id.
    case channelId
    /// The channel's name.
    case channelName
    /// The virtual event.
    case virtualEventId
    /// The lead's email.
    case email
    /// The lead's user id on the events platform.
    case userId
    /// The link to the lead: the Marketo custom object's lead link field, the Salesforce Lead lookup.
    case lead
    /// Salesforce: `{campaignId}_{personId}`, the campaign member the record belongs to.
    case campaignMember
    /// Marketo: the command id kept in the custom activity (activities are write-once).
    case commandId
    /// One engagement metric.
    case metric(EngagementMetric)

    /// The fields that are not metrics, in documentation order.
    public static let named: [EngagementField] = [
        .entryId, .entryName, .channelId, .channelName, .virtualEventId, .email, .userId, .lead, .campaignMember,
        .commandId,
    ]

    /// One field per metric, in metric order.
    public static let metrics: [EngagementField] = EngagementMetric.allCases.map { .metric($0) }

    /// Parses a configuration key: a named field or a metric's name.
    public init?(name: String) {
        if let field = EngagementField.named.first(where: { $0.name == name }) {
            self = field
        } else if let metric = EngagementMetric.allCases.first(where: { $0.key == name }) {
            self = .metric(metric)
        } else {
            return nil
        }
    }

    /// The field's key in the configuration.
    public var name: String {
        switch self {
        case .entryId: "entryId"
        case .entryName: "entryName"
        case .channelId: "channelId"
        case .channelName: "channelName"
        case .virtualEventId: "virtualEventId"
        case .email: "email"
        case .userId: "userId"
        case .lead: "lead"
        case .campaignMember: "campaignMember"
        case .commandId: "commandId"
        case .metric(let metric): metric.key
        }
    }

    /// The name.
    public var description: String { name }

    /// Named fields in documentation order, then metrics in metric order.
    public static func < (lhs: EngagementField, rhs: EngagementField) -> Bool {
        func rank(_ field: EngagementField) -> Int {
            if case .metric(let metric) = field { return named.count + Int(metric.rawValue) }
            return named.firstIndex(of: field) ?? 0
        }
        return rank(lhs) < rank(rhs)
    }
}
