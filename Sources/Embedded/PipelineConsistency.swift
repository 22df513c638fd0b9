public import Config
import Foundation
public import LeadModel
public import SandboxMarketo
public import SandboxSalesforce

// MARK: - PipelineConsistency

/// Compares what the CRM sandboxes hold with the state the fold computed, lead by lead: member statuses,
/// engagement records and activities. The proof `leadsync run` prints at its end, and the embedded tests assert.
public struct PipelineConsistency: Sendable, CustomStringConvertible {
    /// Member statuses checked, and how many matched.
    public var marketoMembers = 0
    public var marketoMatched = 0
    /// Marketo members above the fold's status because the fold moved back (an allowed re-registration) and
    /// Marketo never moves a member to a lower step (1037): expected, and counted apart.
    public var marketoKeptHigherStep = 0
    public var salesforceMembers = 0
    public var salesforceMatched = 0
    /// Engagement records expected and found.
    public var marketoEngagementsExpected = 0
    public var marketoEngagementsFound = 0
    public var salesforceEngagementsExpected = 0
    public var salesforceEngagementsFound = 0
    /// Activities expected (emitted by the fold) and found.
    public var marketoActivitiesExpected = 0
    public var marketoActivitiesFound = 0
    /// (lead, entry) activities the fold emitted that Marketo does not hold.
    public var marketoActivitiesMissing = 0
    /// (lead, entry) activities Marketo holds more than once (a custom activity log is append-only: a duplicate is
    /// a second "attended the session" in every report), and the surplus copies.
    public var marketoActivitiesDuplicated = 0
    public var marketoActivityCopiesTooMany = 0
    /// Leads stored twice for one email (a duplicate create).
    public var duplicateLeads = 0
    /// The first differences, for a person to look at.
    public var differences: [String] = []

    /// Whether the CRMs hold exactly what the fold computed.
    public var isConsistent: Bool {
        marketoMatched + marketoKeptHigherStep == marketoMembers && salesforceMatched == salesforceMembers
            && marketoEngagementsFound == marketoEngagementsExpected
            && salesforceEngagementsFound == salesforceEngagementsExpected
            && marketoActivitiesFound == marketoActivitiesExpected && marketoActivitiesMissing == 0
            && marketoActivitiesDuplicated == 0 && duplicateLeads == 0
    }

    public var description: String {
        var lines = [
            "Marketo members: \(marketoMatched)/\(marketoMembers) at the fold's status"
                + (marketoKeptHigherStep > 0
                    ? " (+\(marketoKeptHigherStep) kept a higher step after a re-registration)" : ""),
            "Salesforce campaign members: \(salesforceMatched)/\(salesforceMembers) at the fold's status",
            "Marketo engagement records: \(marketoEngagementsFound)/\(marketoEngagementsExpected), activities: "
                + "\(marketoActivitiesFound)/\(marketoActivitiesExpected) (\(marketoActivitiesMissing) missing, "
                + "\(marketoActivitiesDuplicated) (lead, entry) pairs duplicated)",
            "Salesforce engagement records: \(salesforceEngagementsFound)/\(salesforceEngagementsExpected)",
        ]
        if duplicateLeads > 0 { lines.append("duplicate leads: \(duplicateLeads)") }
        lines.append(isConsistent ? "consistent: the CRMs hold exactly the fold's state" : "INCONSISTENT")
        lines += differences.prefix(10).map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }

    /// The highest step the lead reached in an event, in event time (see ``StatusTimeline/highestStep``).
    static func highestAppliedStep(in state: LeadState, event: String) -> Int {
        state.timeline(for: event)?.highestStep ?? 0
    }

    /// Checks the sandboxes against the fold's states.
    /// - Parameters:
    ///   - states: every lead's committed state.
    ///   - tenants: the tenants (event mappings and destinations).
    ///   - munchkinIds: tenant -> its Marketo subscription in the sandbox.
    public static func check(
        states: [LeadKey: LeadState],
        tenants: [TenantSettings],
        marketo: MarketoSandbox,
        salesforce: SalesforceSandbox
    ) -> PipelineConsistency {
        var result = PipelineConsistency()
        let byTenant = Dictionary(tenants.map { ($0.tenant, $0) }, uniquingKeysWith: { first, _ in first })

        var marketoLeads: [String: [String: Int]] = [:]  // munchkin -> email -> lead id
        var snapshots: [String: MarketoSubscriptionSnapshot] = [:]
        for munchkinId in Set(tenants.compactMap(\.marketo?.munchkinId)) {
            guard let snapshot = marketo.snapshot(munchkinId) else { continue }
            snapshots[munchkinId] = snapshot
            var emails: [String: Int] = [:]
            for lead in snapshot.leads {
                guard let email = lead.email?.lowercased() else { continue }
                if emails[email] != nil { result.duplicateLeads += 1 }
                emails[email] = lead.id
            }
            marketoLeads[munchkinId] = emails
        }
        var salesforceLeads: [String: String] = [:]
        for lead in salesforce.records("Lead") {
            guard let email = lead["Email"].string?.lowercased() else { continue }
            if salesforceLeads[email] != nil { result.duplicateLeads += 1 }
            salesforceLeads[email] = lead.id
        }
        var members: [String: String] = [:]
        for member in salesforce.campaignMembers() {
            if let key = member["external_id__c"].string?.lowercased(), let status = member["Status"].string {
                members[key] = status
            }
        }
        var expectedMarketoObjects = 0
        var expectedActivities = 0
        // munchkin -> "leadId/entryId" -> copies held.
        var activityCopies: [String: [String: Int]] = [:]
        for (munchkinId, snapshot) in snapshots {
            for activity in snapshot.activities {
                let key = "\(activity.leadId)/\(activity.primaryAttributeValue)"
                activityCopies[munchkinId, default: [:]][key, default: 0] += 1
            }
        }
        var expectedActivityKeys: [String: Set<String>] = [:]
        var expectedSalesforceObjects = 0

        for (key, state) in states {
            guard let tenant = byTenant[key.tenant] else { continue }
            let email = key.email.lowercased()
            let munchkinId = tenant.marketo?.munchkinId
            for membership in state.memberships {
                guard let mapping = tenant.events[membership.virtualEventId] else { continue }
                if tenant.destinations.contains(.marketo), let program = mapping.marketoProgramId, let munchkinId {
                    result.marketoMembers += 1
                    let found = marketoLeads[munchkinId]?[email].flatMap {
                        snapshots[munchkinId]?.membership(programId: program, leadId: $0)
                    }
                    if found?.statusName == membership.status.name {
                        result.marketoMatched += 1
                    } else if let found, found.step > membership.status.step,
                        found.step <= Self.highestAppliedStep(in: state, event: membership.virtualEventId)
                    {
                        // The fold moved back (an allowed re-registration) from a step Marketo had reached.
                        result.marketoKeptHigherStep += 1
                    } else {
                        let marketoStatus = found?.statusName ?? "no member"
                        result.differences.append(
                            "Marketo \(key) program \(program): \(marketoStatus) != \(membership.status.name)"
                        )
                    }
                }
                if tenant.destinations.contains(.salesforce), let campaign = mapping.salesforceCampaignId {
                    result.salesforceMembers += 1
                    let status = salesforceLeads[email].flatMap { members["\(campaign)_\($0)".lowercased()] }
                    if status == membership.status.name {
                        result.salesforceMatched += 1
                    } else {
                        let salesforceStatus = status ?? "no member"
                        result.differences.append(
                            "Salesforce \(key) campaign \(campaign): \(salesforceStatus) != \(membership.status.name)"
                        )
                    }
                }
            }
            for engagement in state.engagements {
                guard let mapping = tenant.events[engagement.virtualEventId] else { continue }
                if tenant.destinations.contains(.marketo), mapping.marketoProgramId != nil {
                    expectedMarketoObjects += 1
                    if engagement.isActivityEmitted {
                        expectedActivities += 1
                        let leadId = munchkinId.flatMap { marketoLeads[$0]?[email] }
                        let key = leadId.map { "\($0)/\(engagement.entryId)" }
                        let copies = key.flatMap { key in munchkinId.flatMap { activityCopies[$0]?[key] } } ?? 0
                        if let key, let munchkinId { expectedActivityKeys[munchkinId, default: []].insert(key) }
                        if copies == 0 {
                            result.marketoActivitiesMissing += 1
                            result.differences.append(
                                "Marketo \(key ?? "\(email)") activity for entry \(engagement.entryId) missing"
                            )
                        } else if copies > 1 {
                            result.marketoActivitiesDuplicated += 1
                            result.marketoActivityCopiesTooMany += copies - 1
                            result.differences.append(
                                "Marketo activity \(key ?? email) for entry \(engagement.entryId) held \(copies) times"
                            )
                        }
                    }
                }
                if tenant.destinations.contains(.salesforce), mapping.salesforceCampaignId != nil {
                    expectedSalesforceObjects += 1
                }
            }
        }
        result.marketoEngagementsExpected = expectedMarketoObjects
        result.marketoEngagementsFound = snapshots.values.reduce(0) { $0 + $1.customObjects.count }
        result.marketoActivitiesExpected = expectedActivities
        result.marketoActivitiesFound = snapshots.values.reduce(0) { $0 + $1.activities.count }
        result.salesforceEngagementsExpected = expectedSalesforceObjects
        result.salesforceEngagementsFound = salesforce.engagementRecords().count
        return result
    }
}
