public import LeadModel

// MARK: - LeadStateReport

/// What `leadsync state get` prints for a lead: its statuses, each virtual event's timeline in event time with what
/// every entry did and the status after it, and its engagement.
public enum LeadStateReport {
    /// The report. `rules` are the tenant's (the outcomes of the timeline entries are folded with them).
    public static func render(_ state: LeadState, key: LeadKey, rules: TenantRules) -> String {
        var lines = ["lead \(key)"]
        if let userId = state.userId { lines.append("  user id: \(userId)") }
        if let profile = state.profile {
            let fields = [
                ("firstName", profile.firstName), ("lastName", profile.lastName), ("company", profile.company),
                ("title", profile.title), ("country", profile.country), ("phone", profile.phone),
            ].compactMap { name, value in value.map { "\(name)=\($0)" } }
            let custom = profile.custom.sorted { $0.key < $1.key }.map { "custom.\($0.key)=\($0.value)" }
            lines.append("  profile: \((fields + custom).joined(separator: ", "))")
        }
        lines.append("statuses:")
        for membership in state.memberships {
            let how = membership.isDerived ? "derived from engagement" : "by event"
            lines.append(
                "  \(membership.virtualEventId): \(membership.status.name) (step \(membership.status.step)) "
                    + "since \(membership.occurredAt), \(how) #\(membership.eventDigest)"
            )
        }
        for timeline in state.timelines {
            lines.append("timeline of \(timeline.virtualEventId) (occurredAt order; #event id digest):")
            if let base = timeline.base {
                let result = base.result.map { "\($0.status.name) since \($0.occurredAt)" } ?? "no status"
                lines.append(
                    "  older events up to \(base.horizon) folded into the base: \(result) "
                        + "(events at or before it are beyond the horizon)"
                )
            }
            for (entry, outcome, status) in timeline.outcomes(rules: rules) {
                let what: String =
                    switch entry.kind {
                    case .status(let status, let granular):
                        granular.map { "\(status.name) (\($0.name))" } ?? status.name
                    case .engagement: "engagement"
                    }
                lines.append(
                    "  \(entry.occurredAt)  #\(entry.eventDigest)  \(what)  \(outcome)  -> \(status?.name ?? "none")"
                )
            }
        }
        lines.append("engagement:")
        for record in state.engagements {
            let activity =
                switch record.activity {
                case .emitted: "custom activity sent"
                case .pending(let pending):
                    pending.sessionEnded ? "custom activity due (session ended)" : "custom activity pending"
                }
            lines.append(
                "  \(record.virtualEventId) / \(record.entryId): latest snapshot \(record.occurredAt), \(activity)"
            )
        }
        return lines.joined(separator: "\n")
    }
}
