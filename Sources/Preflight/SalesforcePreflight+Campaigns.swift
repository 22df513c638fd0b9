internal import Config
internal import LeadModel
internal import Salesforce

extension SalesforcePreflight {
    /// Each mapped campaign exists and has a CampaignMemberStatus for the label of every channel status.
    mutating func checkCampaigns() async {
        let mapped = tenant.events.sorted { $0.key < $1.key }.compactMap { event in
            event.value.salesforceCampaignId.map { (event.key, $0) }
        }
        guard !mapped.isEmpty else { return }
        let found: [SalesforceRecord]
        do {
            found = try await patiently { () async throws(SalesforceError) in
                try await client.campaigns(ids: mapped.map(\.1))
            }
        } catch {
            add("campaigns", .fail, "cannot query the campaigns: \(error.description)", blocking: true)
            return
        }
        var names: [String: String] = [:]
        for record in found {
            guard let id = record.id else { continue }
            names[String(id.prefix(15))] = record["Name"]?.stringValue ?? ""
        }
        for (eventId, campaignId) in mapped {
            let item = "campaign \(campaignId) (event \(eventId))"
            guard let name = names[String(campaignId.prefix(15))] else {
                add(
                    item,
                    .fail,
                    "the org has no campaign \(campaignId)",
                    fix: "create the campaign (Campaigns tab > New) and put its 18-character id into "
                        + "tenants[].events[\"\(eventId)\"].salesforceCampaignId, or correct that id",
                    blocking: true
                )
                continue
            }
            add(item, .pass, "\"\(name)\"")
            await checkStatuses(campaignId: campaignId, name: name)
        }
    }

    private mutating func checkStatuses(campaignId: String, name: String) async {
        let labels = settings.campaignMember
        let existing: [SalesforceCampaignMemberStatus]
        do {
            existing = try await patiently { () async throws(SalesforceError) in
                try await client.campaignMemberStatuses(campaignId: campaignId)
            }
        } catch {
            add("campaign \(campaignId) member statuses", .fail, "cannot read them: \(error.description)")
            return
        }
        let present = Set(existing.map { $0.label.lowercased() })
        var missing = 0
        for status in ChannelStatus.allCases {
            let label = labels.label(for: status)
            guard !present.contains(label.lowercased()) else { continue }
            missing += 1
            add(
                "campaign \(campaignId) status \"\(label)\"",
                .fail,
                "campaign \"\(name)\" has no member status \"\(label)\" (for \(status.name)); those commands are "
                    + "dead-lettered",
                fix: "add \"\(label)\" in the campaign's Campaign Member Statuses related list > Advanced Setup > "
                    + "Edit (docs/crm-setup.md, Salesforce step 1)"
                    + (label == status.name ? "" : ", or change tenants[].salesforce.campaignMember.statusLabels")
            )
        }
        if missing == 0 {
            add(
                "campaign \(campaignId) member statuses",
                .pass,
                "a label for each of the \(ChannelStatus.allCases.count) channel statuses"
            )
        }
    }
}
