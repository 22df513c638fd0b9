import LeadModel
import Marketo

// MARK: - EngagementFields

/// The fields of the CRM setup's engagement custom object (docs/events.md) and the attributes of the engagement custom
/// activity, from a command's snapshot (docs/events.md, "Where the CRM side is set up"). Unknown metrics are left out,
/// never sent as 0.
enum EngagementFields {
    /// The custom object `kalturaUserSessionEngagement` record: dedupe fields `entry_id` and `personId` (the lead
    /// id), the entry, channel and virtual event, the lead's email and user id, and the known metrics.
    static func customObject(
        _ snapshot: EngagementSnapshot,
        leadId: Int,
        email: String,
        userId: String?,
        virtualEventId: String
    ) -> [String: MarketoFieldValue] {
        var fields = metrics(snapshot.metrics)
        fields["entry_id"] = .string(snapshot.entry.id)
        fields["personId"] = .int(leadId)
        fields["entry_name"] = .string(snapshot.entry.name)
        fields["channel_id"] = .int(Int(snapshot.channel.id))
        fields["channel_name"] = .string(snapshot.channel.name)
        fields["virtual_event_id"] = .string(virtualEventId)
        fields["email"] = .string(email)
        if let userId { fields["user_id"] = .string(userId) }
        return fields
    }

    /// The custom activity `userSessionEngagement`'s secondary attributes (the primary attribute is the entry id):
    /// the entry name, channel, virtual event, known metrics and the command id, kept to those the type has.
    static func activityAttributes(
        _ snapshot: EngagementSnapshot,
        virtualEventId: String,
        commandId: String,
        commandIdAttribute: String,
        allowed: Set<String>
    ) -> [String: MarketoFieldValue] {
        var attributes = metrics(snapshot.metrics)
        attributes["entry_name"] = .string(snapshot.entry.name)
        attributes["channel_id"] = .int(Int(snapshot.channel.id))
        attributes["channel_name"] = .string(snapshot.channel.name)
        attributes["virtual_event_id"] = .string(virtualEventId)
        attributes[commandIdAttribute] = .string(commandId)
        return attributes.filter { allowed.contains($0.key) }
    }

    /// The known metrics by their JSON names (the Marketo field names): counts as integers, the rest as numbers.
    static func metrics(_ metrics: EngagementMetrics) -> [String: MarketoFieldValue] {
        var fields: [String: MarketoFieldValue] = [:]
        for metric in EngagementMetric.allCases {
            if let count = metrics.count(metric) {
                fields[metric.key] = .int(count)
            } else if let number = metrics.number(metric) {
                fields[metric.key] = .double(number)
            }
        }
        return fields
    }
}
