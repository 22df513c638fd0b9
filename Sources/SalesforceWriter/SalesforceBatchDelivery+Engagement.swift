import Config
import Delivery
import LeadModel
import Salesforce

// MARK: - SalesforceBatchDelivery + Engagement

extension SalesforceBatchDelivery {
    /// Sends the engagement snapshots: upserts of the tenant's engagement object (default
    /// `UserSessionEngagement__c`) by its External ID (`{campaignId}_{personId}_{entryId}`), so a newer snapshot of
    /// the same (person, campaign, entry) updates its record. Rows are first made unique by that key (two emails
    /// can stand for one person, and the key compares without case): Salesforce fails every row of a request
    /// whose key appears twice. A `DUPLICATE_VALUE` on the key (a concurrent create) and rolled-back rows are
    /// resent once.
    mutating func deliverEngagements(
        _ items: [Int],
        people: [String: Result<SalesforcePerson, DeliveryFailure>]
    )
        async
    {
        guard !items.isEmpty else { return }
        var rows: [(item: Int, record: SalesforceRecord)] = []
        for index in items {
            let command = batch.items[index].command
            guard case .engagementUpsert(let snapshot) = command.payload, let campaignId = command.target.campaignId
            else { continue }
            switch people[command.email] {
            case .success(let person)?:
                rows.append(
                    (index, engagementRecord(command, snapshot: snapshot, campaignId: campaignId, person: person))
                )
            case .failure(let failure)?:
                outcomes[index] = .failed(failure)
            case nil:
                outcomes[index] = .failed(Self.unanswered)
            }
        }
        let names = tenant.engagementNames
        let keyField = names.externalIdField
        // One row per External ID (compared without case: the field is unique case-insensitively).
        var pending = newestPerKey(
            rows,
            key: { ($0.record[keyField]?.stringValue ?? "").lowercased() },
            item: \.item,
            record: "engagement record"
        )
        var bulk = usesBulk(rows: rows.count)
        for _ in 0..<2 where !pending.isEmpty {
            let results = await upsert(
                pending.map(\.record),
                object: names.object,
                keyField: keyField,
                bulk: bulk
            )
            bulk = false
            var again: [(item: Int, record: SalesforceRecord)] = []
            for (row, result) in zip(pending, results) {
                switch result {
                case .saved:
                    outcomes[row.item] = .delivered
                case .notSent(let failure):
                    outcomes[row.item] = .failed(failure)
                case .rejected(let error):
                    if error.classification == .rolledBack || error.statusCode == "DUPLICATE_VALUE" {
                        again.append(row)
                    } else if error.statusCode == "CANNOT_UPDATE_CONVERTED_LEAD" {
                        // The Lead was converted since it was cached: look the email up again on retry.
                        tenant.cache.forget(email: batch.items[row.item].command.email)
                        outcomes[row.item] = .failed(
                            DeliveryFailure(
                                errorClass: .transient,
                                code: error.statusCode,
                                message: "\(error.message); the cached Lead was forgotten and is looked up again"
                            )
                        )
                    } else {
                        let key = row.record[keyField]?.stringValue ?? ""
                        outcomes[row.item] = .failed(
                            .salesforceRow(
                                error,
                                context: "\(names.object) \(key), command "
                                    + "\(batch.items[row.item].command.commandId)"
                            )
                        )
                    }
                }
            }
            pending = again
        }
        fail(
            pending.map(\.item),
            DeliveryFailure(
                errorClass: .transient,
                code: "engagement_unsettled",
                message: "the engagement record could not be settled in two rounds of upserts"
            )
        )
    }

    /// The engagement record of a snapshot, with the fields of the tenant's engagement names (docs/crm-setup.md
    /// gives the defaults). Names longer than their Text(200) field are cut (and counted); ids are sent whole, so
    /// a too-long id is Salesforce's `STRING_TOO_LONG` (permanent). Unknown metrics are left out (left
    /// unchanged), never sent as 0; so is a field the configuration maps to nothing.
    func engagementRecord(
        _ command: Command,
        snapshot: EngagementSnapshot,
        campaignId: String,
        person: SalesforcePerson
    ) -> SalesforceRecord {
        let names = tenant.engagementNames
        var record = SalesforceRecord(type: names.object)
        func set(_ field: EngagementField, _ value: SalesforceValue) {
            if let name = names.fields[field] { record[name] = value }
        }
        func setTruncated(_ field: EngagementField, _ text: String) {
            if let name = names.fields[field] { record[name] = .string(truncated(text, field: name)) }
        }
        record[names.externalIdField] = .string("\(campaignId)_\(person.id)_\(snapshot.entry.id)")
        set(.campaignMember, .string("\(campaignId)_\(person.id)"))
        if let leadId = person.leadId { set(.lead, .string(leadId)) }
        set(.entryId, .string(snapshot.entry.id))
        if !snapshot.entry.name.isEmpty { setTruncated(.entryName, snapshot.entry.name) }
        set(.email, .string(command.email))
        if let userId = command.userId, !userId.isEmpty { set(.userId, .string(userId)) }
        set(.channelId, .integer(snapshot.channel.id))
        if !snapshot.channel.name.isEmpty { setTruncated(.channelName, snapshot.channel.name) }
        for metric in EngagementMetric.allCases {
            guard let value = snapshot.metrics[metric] else { continue }
            if metric.kind == .count {
                set(.metric(metric), .integer(Int64(value)))
            } else {
                set(.metric(metric), .double((value * 100).rounded() / 100))
            }
        }
        return record
    }

    private func truncated(_ text: String, field: String, length: Int = 200) -> String {
        guard text.count > length else { return text }
        tenant.metrics.truncated(tenant: tenant.tenant, field: field)
        return String(text.prefix(length))
    }
}
