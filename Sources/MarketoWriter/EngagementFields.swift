import Config
import LeadModel
import Marketo

// MARK: - EngagementFields

/// The fields of the tenant's engagement custom object and the attributes of its engagement custom activity,
/// from a command's snapshot, under the API names of the tenant's configuration (docs/crm-setup.md gives the
/// defaults). Unknown metrics are left out, never sent as 0; so is a field the configuration maps to nothing.
enum EngagementFields {
    /// The custom object record: the dedupe fields (by default the entry id and the lead link, holding the lead
    /// id), the entry, channel and virtual event, the lead's email and user id, and the known metrics.
    static func customObject(
        _ snapshot: EngagementSnapshot,
        leadId: Int,
        email: String,
        userId: String?,
        virtualEventId: String,
        names: MarketoCustomObjectNames
    ) -> [String: MarketoFieldValue] {
        var values = metrics(snapshot.metrics)
        values[.entryName] = .string(snapshot.entry.name)
        values[.channelId] = .int(Int(snapshot.channel.id))
        values[.channelName] = .string(snapshot.channel.name)
        values[.virtualEventId] = .string(virtualEventId)
        values[.email] = .string(email)
        if let userId { values[.userId] = .string(userId) }
        var fields = named(values, names.fields)
        fields[names.entryIdField] = .string(snapshot.entry.id)
        fields[names.leadLinkField] = .int(leadId)
        return fields
    }

    /// The custom activity's secondary attributes (the primary attribute's value is the entry id): the entry
    /// name, channel, virtual event, known metrics and the command id, kept to those the type has.
    static func activityAttributes(
        _ snapshot: EngagementSnapshot,
        virtualEventId: String,
        commandId: String,
        names: MarketoActivityTypeNames,
        allowed: Set<String>
    ) -> [String: MarketoFieldValue] {
        var values = metrics(snapshot.metrics)
        values[.entryName] = .string(snapshot.entry.name)
        values[.channelId] = .int(Int(snapshot.channel.id))
        values[.channelName] = .string(snapshot.channel.name)
        values[.virtualEventId] = .string(virtualEventId)
        values[.commandId] = .string(commandId)
        return named(values, names.attributes).filter { allowed.contains($0.key) }
    }

    /// The known metrics: counts as integers, the rest as numbers.
    static func metrics(_ metrics: EngagementMetrics) -> [EngagementField: MarketoFieldValue] {
        var fields: [EngagementField: MarketoFieldValue] = [:]
        for metric in EngagementMetric.allCases {
            if let count = metrics.count(metric) {
                fields[.metric(metric)] = .int(count)
            } else if let number = metrics.number(metric) {
                fields[.metric(metric)] = .double(number)
            }
        }
        return fields
    }

    /// The values under their API names; fields without a name are not sent.
    private static func named(
        _ values: [EngagementField: MarketoFieldValue],
        _ names: [EngagementField: String]
    ) -> [String: MarketoFieldValue] {
        var fields: [String: MarketoFieldValue] = [:]
        for (field, value) in values {
            if let name = names[field] { fields[name] = value }
        }
        return fields
    }
}
