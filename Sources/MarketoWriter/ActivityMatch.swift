import Delivery
import Foundation
import Marketo

// MARK: - ActivityMatch

/// What an activity call sent, as its intent records it, and whether an activity read back from Marketo is that
/// activity.
///
/// When the call sent the command id in the type's command id attribute (the tenant's
/// `activityType.attributes.commandId`, default `command_id`, when the type has it) the match is exact: the lead and
/// the command id. Otherwise the activity must have the lead, the primary attribute (the entry), the activity date to
/// the second, and every attribute the call sent with the same value; one activity per lead and entry is what the
/// fold emits, so two different activities never agree on all of that.
enum ActivityMatch {
    /// The intent's detail: lead, date as sent, primary attribute value, type, command id and attributes.
    static func intentDetail(_ activity: MarketoCustomActivity, commandId: String) -> [String: String] {
        var detail = [
            "leadId": String(activity.leadId), "activityDate": activity.activityDateText,
            "primary": activity.primaryAttributeValue, "typeId": String(activity.activityTypeId),
            "commandId": commandId,
        ]
        for (name, value) in activity.attributes { detail["attr." + name] = value.description }
        return detail
    }

    /// The activity date the intent's call sent.
    static func sentDate(_ intent: EffectEntry) -> Date? {
        intent.detail["activityDate"].flatMap(MarketoLeadActivity.parseDate)
    }

    /// Whether `activity` is the one the intent's call sent.
    static func matches(
        _ activity: MarketoLeadActivity,
        intent: EffectEntry,
        type: MarketoWriterCache.ActivityType,
        commandIdAttribute: String?
    ) -> Bool {
        let detail = intent.detail
        guard String(activity.leadId) == detail["leadId"], activity.activityTypeId == type.id else { return false }
        // Exact only when the call sent the attribute (the configuration or the type may have changed since).
        if let commandIdAttribute, type.attributes.contains(commandIdAttribute),
            detail["attr." + commandIdAttribute] != nil, let commandId = detail["commandId"]
        {
            let names = type.names(of: commandIdAttribute)
            return activity.attributes.contains { attribute in
                (names.contains(attribute.name) || attribute.apiName == commandIdAttribute)
                    && attribute.value.description == commandId
            }
        }
        guard activity.primaryAttributeValue == detail["primary"] else { return false }
        guard let sent = sentDate(intent), let read = activity.date,
            Int64(sent.timeIntervalSince1970.rounded(.down)) == Int64(read.timeIntervalSince1970.rounded(.down))
        else { return false }
        for (key, value) in detail where key.hasPrefix("attr.") {
            let apiName = String(key.dropFirst(5))
            let names = type.names(of: apiName)
            let returned = activity.attributes.first { names.contains($0.name) || $0.apiName == apiName }
            // Marketo leaves an empty attribute out.
            guard let returned else {
                if value.isEmpty { continue }
                return false
            }
            guard sameValue(returned.value.description, value) else { return false }
        }
        return true
    }

    /// Equal texts, or equal numbers (`3`, `3.0`).
    private static func sameValue(_ lhs: String, _ rhs: String) -> Bool {
        if lhs == rhs { return true }
        if let left = Double(lhs), let right = Double(rhs) { return abs(left - right) <= 1e-9 * max(1, abs(left)) }
        return false
    }
}
