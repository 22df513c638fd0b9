import Delivery
import LeadModel
import Salesforce

// MARK: - SalesforceBatchDelivery + Members

extension SalesforceBatchDelivery {
    /// Sends the member statuses: CampaignMember upserts by the tenant's External ID field (default
    /// `external_id__c`) = `{campaignId}_{personId}` in full calls, the status written as the tenant's label for
    /// it (default its own name). A member not known to exist is sent with `CampaignId`, `LeadId`/`ContactId` and
    /// `Status`; a known one with `Status` only. Rows that turn out to exist are resent as updates:
    /// - `INVALID_FIELD_FOR_INSERT_UPDATE` on a create-shaped row, or `DUPLICATE_VALUE` on the key: the member
    ///   exists under our key; resent with `Status` only;
    /// - `DUPLICATE_VALUE` "Already a campaign member.": the member exists under another key (added by hand or by
    ///   another tool); it is found by campaign and person and updated by `Id`, taking our key;
    /// - `ALL_OR_NONE_OPERATION_ROLLED_BACK`: resent as it was.
    mutating func deliverMemberStatuses(
        _ items: [Int],
        people: [String: Result<SalesforcePerson, DeliveryFailure>]
    )
        async
    {
        guard !items.isEmpty else { return }
        var rows: [SalesforceMemberRow] = []
        for index in items {
            let command = batch.items[index].command
            guard case .memberStatus(let change) = command.payload, let campaignId = command.target.campaignId else {
                continue
            }
            switch people[command.email] {
            case .success(let person)?:
                rows.append(
                    SalesforceMemberRow(
                        item: index,
                        campaignId: campaignId,
                        person: person,
                        status: tenant.memberNames.label(for: change.status),
                        key: "\(campaignId)_\(person.id)",
                        exists: false
                    )
                )
            case .failure(let failure)?:
                outcomes[index] = .failed(failure)
            case nil:
                outcomes[index] = .failed(Self.unanswered)
            }
        }
        rows = await checkStatusLabels(rows)
        // Never two statuses for one member in one call (two emails can stand for one person).
        rows = newestPerKey(rows, key: \.key, item: \.item, record: "CampaignMember")
        let known = tenant.cache.membersExist(rows.map(\.key))
        for offset in rows.indices { rows[offset].exists = known[offset] }

        var pending = rows
        var bulk = usesBulk(rows: rows.count)
        for _ in 0..<3 where !pending.isEmpty {
            let records = pending.map(memberRecord)
            let results = await upsert(
                records,
                object: "CampaignMember",
                keyField: tenant.memberNames.externalIdField,
                bulk: bulk
            )
            bulk = false
            var again: [SalesforceMemberRow] = []
            var foreign: [SalesforceMemberRow] = []
            var saved: [String] = []
            for (row, result) in zip(pending, results) {
                switch result {
                case .saved:
                    outcomes[row.item] = .delivered
                    saved.append(row.key)
                case .notSent(let failure):
                    outcomes[row.item] = .failed(failure)
                case .rejected(let error):
                    switch resolution(of: error, for: row) {
                    case .resendAsUpdate:
                        tenant.metrics.memberSwitch(tenant: tenant.tenant, reason: "exists_under_key")
                        var update = row
                        update.exists = true
                        again.append(update)
                    case .adoptExisting:
                        tenant.metrics.memberSwitch(tenant: tenant.tenant, reason: "already_member")
                        foreign.append(row)
                    case .resendAsCreate:
                        var create = row
                        create.exists = false
                        again.append(create)
                    case .resend:
                        again.append(row)
                    case .forgetPerson:
                        tenant.cache.forget(email: batch.items[row.item].command.email)
                        outcomes[row.item] = .failed(
                            DeliveryFailure(
                                errorClass: .transient,
                                code: error.statusCode,
                                message: "\(describe(row)): \(error.message); the cached \(row.person.memberField) "
                                    + "was forgotten and is looked up again on retry"
                            )
                        )
                    case .fail:
                        outcomes[row.item] = .failed(.salesforceRow(error, context: describe(row)))
                    }
                }
            }
            tenant.cache.rememberMembers(saved)
            if !foreign.isEmpty { await adoptExistingMembers(foreign) }
            pending = again
        }
        fail(
            pending.map(\.item),
            DeliveryFailure(
                errorClass: .transient,
                code: "member_unsettled",
                message: "the CampaignMember could not be settled in three rounds of upserts"
            )
        )
    }

    private enum MemberResolution {
        case resendAsUpdate, resendAsCreate, adoptExisting, resend, forgetPerson, fail
    }

    private func resolution(of error: SalesforceRowError, for row: SalesforceMemberRow) -> MemberResolution {
        let createOnly: Set<String> = ["campaignid", "leadid", "contactid"]
        switch error.statusCode {
        case "INVALID_FIELD_FOR_INSERT_UPDATE"
        where !row.exists
            && (error.fields.contains { createOnly.contains($0.lowercased()) }
                || ["CampaignId", "LeadId", "ContactId"].contains { error.message.contains($0) }):
            return .resendAsUpdate
        case "DUPLICATE_VALUE" where error.message.contains("Already a campaign member"):
            return .adoptExisting
        case "DUPLICATE_VALUE" where !row.exists:
            return .resendAsUpdate
        case "CANNOT_UPDATE_CONVERTED_LEAD", "ENTITY_IS_DELETED":
            return .forgetPerson
        case "INVALID_CROSS_REFERENCE_KEY" where !row.exists:
            return .forgetPerson
        case "REQUIRED_FIELD_MISSING" where row.exists:
            // Known to the cache but deleted in the org since: create it again.
            tenant.cache.forgetMember(row.key)
            return .resendAsCreate
        default:
            if error.classification == .rolledBack { return .resend }
            return .fail
        }
    }

    private func memberRecord(_ row: SalesforceMemberRow) -> SalesforceRecord {
        var record = SalesforceRecord(type: "CampaignMember")
        record[tenant.memberNames.externalIdField] = .string(row.key)
        record["Status"] = .string(row.status)
        if !row.exists {
            record["CampaignId"] = .string(row.campaignId)
            record[row.person.memberField] = .string(row.person.id)
        }
        return record
    }

    func describe(_ row: SalesforceMemberRow) -> String {
        "CampaignMember \(row.key) (campaign \(row.campaignId), \(row.person.memberField) \(row.person.id)) "
            + "Status=\(row.status), command \(batch.items[row.item].command.commandId)"
    }

    /// Members that exist under another key: one query per campaign finds their ids, one update per 200 sets
    /// `Status` and our key.
    private mutating func adoptExistingMembers(_ rows: [SalesforceMemberRow]) async {
        var byCampaign: [String: [SalesforceMemberRow]] = [:]
        for row in rows { byCampaign[row.campaignId, default: []].append(row) }
        var updates: [(row: SalesforceMemberRow, record: SalesforceRecord)] = []
        for (campaignId, campaignRows) in byCampaign.sorted(by: { $0.key < $1.key }) {
            for field in ["LeadId", "ContactId"] {
                let fieldRows = campaignRows.filter { $0.person.memberField == field }
                guard !fieldRows.isEmpty else { continue }
                let soql =
                    "SELECT Id, \(field) FROM CampaignMember WHERE CampaignId = "
                    + SalesforceClient.soqlLiteral(campaignId) + " AND \(field) IN ("
                    + fieldRows.map { SalesforceClient.soqlLiteral($0.person.id) }.joined(separator: ",") + ")"
                let found = await tenant.perform(
                    limiter,
                    context: "finding \(fieldRows.count) existing members of campaign \(campaignId)"
                ) { client async throws(SalesforceError) in
                    try await client.query(soql)
                }
                switch found {
                case .failure(let failure):
                    fail(fieldRows.map(\.item), failure)
                case .success(let records):
                    var idByPerson: [String: String] = [:]
                    for record in records {
                        if let person = record[field]?.stringValue, let id = record.id {
                            idByPerson[String(person.prefix(15))] = id
                        }
                    }
                    for row in fieldRows {
                        guard let id = idByPerson[String(row.person.id.prefix(15))] else {
                            // Deleted between the two calls: the next attempt creates it.
                            outcomes[row.item] = .failed(
                                DeliveryFailure(
                                    errorClass: .transient,
                                    code: "DUPLICATE_VALUE",
                                    message: "\(describe(row)): Salesforce said it is already a member but no member "
                                        + "was found"
                                )
                            )
                            continue
                        }
                        var record = SalesforceRecord(type: "CampaignMember")
                        record["Id"] = .string(id)
                        record["Status"] = .string(row.status)
                        record[tenant.memberNames.externalIdField] = .string(row.key)
                        updates.append((row, record))
                    }
                }
            }
        }
        guard !updates.isEmpty else { return }
        let results = await update(updates.map(\.record), object: "CampaignMember")
        var saved: [String] = []
        for ((row, _), result) in zip(updates, results) {
            switch result {
            case .saved:
                outcomes[row.item] = .delivered
                saved.append(row.key)
            case .notSent(let failure):
                outcomes[row.item] = .failed(failure)
            case .rejected(let error):
                outcomes[row.item] = .failed(.salesforceRow(error, context: describe(row) + " (update by Id)"))
            }
        }
        tenant.cache.rememberMembers(saved)
    }

    /// Checks each row's status against its campaign's labels (when enabled) and spells it as the campaign does.
    /// A label the campaign lacks is re-read once (at most a minute old) before it fails as permanent.
    private mutating func checkStatusLabels(_ rows: [SalesforceMemberRow]) async -> [SalesforceMemberRow] {
        guard options.checksMemberStatuses else { return rows }
        var checked: [SalesforceMemberRow] = []
        let campaigns = Set(rows.map(\.campaignId)).sorted()
        for campaignId in campaigns {
            let campaignRows = rows.filter { $0.campaignId == campaignId }
            var labels: SalesforceCampaignStatusLabels
            switch await tenant.statusLabels(campaignId: campaignId, limiter: limiter) {
            case .success(let read): labels = read
            case .failure(let failure):
                fail(campaignRows.map(\.item), failure)
                continue
            }
            if campaignRows.contains(where: { labels.label(for: $0.status) == nil }),
                case .success(let fresh) = await tenant.statusLabels(
                    campaignId: campaignId,
                    limiter: limiter,
                    refreshingOlderThan: .seconds(60)
                )
            {
                labels = fresh
            }
            for var row in campaignRows {
                guard let label = labels.label(for: row.status) else {
                    let known = labels.labels.values.sorted().joined(separator: ", ")
                    outcomes[row.item] = .failed(
                        DeliveryFailure(
                            errorClass: .permanent,
                            code: "INVALID_MEMBER_STATUS",
                            message: "\(describe(row)): campaign \(campaignId) has no member status '\(row.status)' "
                                + (known.isEmpty
                                    ? "(it has no member statuses at all: does the campaign exist?)"
                                    : "(it has: \(known)); add it to the campaign, then replay the dead letter")
                        )
                    )
                    continue
                }
                row.status = label
                checked.append(row)
            }
        }
        return checked
    }
}
