import Foundation
import LeadModel

// MARK: - Rendering

extension ReconciliationReport {
    /// A readable report: counts per event, then the first `limit` differences of each event. Emails are shown
    /// as the CRM and the fold hold them (the report is for the operator who owns that data).
    /// - Parameter limit: Differences listed per event.
    public func text(limit: Int = 20) -> String {
        var lines = ["\(destination.rawValue) reconciliation of tenant \(tenant)"]
        let label = destination == .marketo ? "program" : "campaign"
        for event in events {
            var counts = "  event \(event.virtualEventId) (\(label) \(event.targetId)): "
            counts += "fold \(event.expectedCount), CRM \(event.actualCount), matched \(event.matched), "
            counts += "missing \(event.missing.count), wrong status \(event.wrongStatus.count), "
            counts += "extra \(event.extra.count)"
            if event.keptHigherStep > 0 { counts += ", kept a higher step \(event.keptHigherStep) (not drift)" }
            lines.append(counts)
            for difference in event.differences.filter(\.isDrift).prefix(limit) {
                lines.append("    - " + Self.describe(difference))
            }
            let more = event.driftCount - min(event.driftCount, limit)
            if more > 0 { lines.append("    ... and \(more) more") }
        }
        if let engagement {
            var line =
                "  engagement records: fold \(engagement.recordsExpected), found \(engagement.recordsFound), "
                + "missing \(engagement.recordsMissing)"
            if engagement.hasActivities {
                line +=
                    "; custom activities: fold \(engagement.activitiesExpected), "
                    + "found \(engagement.activitiesFound), "
                    + "missing \(engagement.activitiesMissing), duplicated \(engagement.activitiesDuplicated) "
                    + "(\(engagement.duplicateCopies) surplus copies)"
            }
            lines.append(line)
            for difference in engagement.differences.prefix(limit) { lines.append("    - " + difference) }
            let more = engagement.differences.count - min(engagement.differences.count, limit)
            if more > 0 { lines.append("    ... and \(more) more") }
        }
        lines.append(
            isInSync
                ? "in sync: the CRM holds the fold's state"
                : "DRIFT: \(driftCount) difference(s); `--apply` sends corrective member commands (extra members are "
                    + "never deleted; engagement drift is reported only)"
        )
        return lines.joined(separator: "\n")
    }

    /// The report as JSON for machines: `{tenant, destination, readAt, inSync, drift, events:[{virtualEventId,
    /// targetId, expected, actual, matched, missing, wrongStatus, extra, keptHigherStep, differences:[{kind, email,
    /// expected?, actual?}]}]}`, at most `limit` differences per event.
    public func json(limit: Int = 1_000) -> String {
        let formatter = ISO8601DateFormatter()
        var object: [String: Any] = [
            "tenant": tenant,
            "destination": destination.rawValue,
            "readAt": formatter.string(from: readAt),
            "inSync": isInSync,
            "drift": driftCount,
            "events": events.map { event -> [String: Any] in
                [
                    "virtualEventId": event.virtualEventId,
                    "targetId": event.targetId,
                    "expected": event.expectedCount,
                    "actual": event.actualCount,
                    "matched": event.matched,
                    "missing": event.missing.count,
                    "wrongStatus": event.wrongStatus.count,
                    "extra": event.extra.count,
                    "keptHigherStep": event.keptHigherStep,
                    "differences": event.differences.prefix(limit).map(Self.jsonObject),
                ]
            },
        ]
        if let engagement {
            object["engagement"] =
                [
                    "recordsExpected": engagement.recordsExpected, "recordsFound": engagement.recordsFound,
                    "recordsMissing": engagement.recordsMissing, "activitiesExpected": engagement.activitiesExpected,
                    "activitiesFound": engagement.activitiesFound, "activitiesMissing": engagement.activitiesMissing,
                    "activitiesDuplicated": engagement.activitiesDuplicated,
                    "duplicateCopies": engagement.duplicateCopies,
                    "differences": Array(engagement.differences.prefix(limit)),
                ] as [String: Any]
        }
        guard
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func describe(_ difference: MemberDifference) -> String {
        switch difference {
        case .missing(let expected): "missing: \(expected.leadKey.email) should be \(expected.status.name)"
        case .wrongStatus(let expected, let actual):
            "wrong status: \(expected.leadKey.email) is \(actual), the fold has \(expected.status.name)"
        case .extra(let member):
            "extra: \(member.email) (\(member.personId)) is \(member.statusName), unknown to the fold"
        case .keptHigherStep(let expected, let actual):
            "kept higher step: \(expected.leadKey.email) is \(actual), the fold has \(expected.status.name)"
        }
    }

    private static func jsonObject(_ difference: MemberDifference) -> [String: Any] {
        var object: [String: Any] = ["kind": difference.kindName, "email": difference.email]
        switch difference {
        case .missing(let expected): object["expected"] = expected.status.name
        case .wrongStatus(let expected, let actual), .keptHigherStep(let expected, let actual):
            object["expected"] = expected.status.name
            object["actual"] = actual
        case .extra(let member):
            object["actual"] = member.statusName
            object["personId"] = member.personId
        }
        return object
    }
}
