import Foundation

// MARK: - OrgData

/// The records of one org and their indexes. A value type, so a transaction (allOrNone, composite) works on
/// a copy and commits by assignment.
struct OrgData: Sendable {
    let schemas: [String: SObjectSchema]
    /// Key prefix to canonical type name.
    let typesByPrefix: [String: String]
    let statusMode: SalesforceSandboxSetup.StatusMode
    let createOnlyPolicy: SalesforceSandboxSetup.CreateOnlyFieldPolicy
    /// Type (lower case) to id15 to record.
    private(set) var records: [String: [String: StoredRecord]] = [:]
    /// Ids of deleted records, so lookups to them answer `ENTITY_IS_DELETED` rather than a bad reference.
    private(set) var deletedIds: Set<String> = []
    /// Type (lower case) to field (lower case) to comparison key to ids.
    private var index: [String: [String: [String: Set<String>]]] = [:]
    /// Pair `campaignId15|personId15` to the CampaignMember id15.
    private var memberPairs: [String: String] = [:]
    private var nextSequence = 1
    private var autoNumbers: [String: Int] = [:]

    init(org: SalesforceSandboxSetup.Org, now: Date) throws(SetupError) {
        self.schemas = SObjectSchema.catalog(for: org)
        var prefixes: [String: String] = [:]
        for schema in schemas.values {
            prefixes[schema.keyPrefix] = schema.name
        }
        self.typesByPrefix = prefixes
        self.statusMode = org.campaignMemberStatusMode
        self.createOnlyPolicy = org.createOnlyFieldsOnUpdate
        try seed(org, now: now)
    }

    // MARK: - Reading

    func schema(_ type: String) -> SObjectSchema? {
        schemas[type.lowercased()]
    }

    func record(_ type: String, id15: String) -> StoredRecord? {
        records[type.lowercased()]?[id15]
    }

    /// The record with this id, whatever its type (the key prefix says which).
    func record(anyId raw: String) -> StoredRecord? {
        guard let id15 = SalesforceId.canonical15(raw), let type = typesByPrefix[String(id15.prefix(3))] else {
            return nil
        }
        return record(type, id15: id15)
    }

    /// All records of a type in creation order.
    func all(_ type: String) -> [StoredRecord] {
        (records[type.lowercased()] ?? [:]).values.sorted { $0.sequence < $1.sequence }
    }

    /// Ids of records whose indexed field has this comparison key, or nil when the field is not indexed.
    func indexedIds(_ type: String, field: String, key: String) -> Set<String>? {
        guard let schema = schema(type), let field = schema.field(field), field.indexed else { return nil }
        return index[type.lowercased()]?[field.name.lowercased()]?[key] ?? []
    }

    func memberId(campaign15: String, person15: String) -> String? {
        memberPairs["\(campaign15)|\(person15)"]
    }

    /// The CampaignMemberStatus records of a campaign, in sort order.
    func memberStatuses(campaign15: String) -> [StoredRecord] {
        let ids = indexedIds("CampaignMemberStatus", field: "CampaignId", key: campaign15) ?? []
        return ids.compactMap { record("CampaignMemberStatus", id15: $0) }
            .sorted {
                ($0["SortOrder"].numberValue ?? 0, $0.sequence) < ($1["SortOrder"].numberValue ?? 0, $1.sequence)
            }
    }

    // MARK: - Storing

    /// A fresh id for a type.
    mutating func newId(prefix: String) -> String {
        var candidate: String
        repeat {
            let sequence = 1_000_000 + nextSequence
            candidate = String(SalesforceId.make(prefix: prefix, pod: "Dn", sequence: sequence).prefix(15))
            nextSequence += 1
        } while typesByPrefix[prefix].flatMap({ record($0, id15: candidate) }) != nil
        return candidate
    }

    mutating func nextAutoNumber(_ type: String) -> Int {
        let next = (autoNumbers[type.lowercased()] ?? 0) + 1
        autoNumbers[type.lowercased()] = next
        return next
    }

    /// Stores a record (new or changed) and keeps the indexes in step.
    mutating func put(_ record: StoredRecord) {
        let typeKey = record.type.lowercased()
        var stored = record
        if let old = records[typeKey]?[record.id15] {
            unindex(old)
            stored.sequence = old.sequence
        } else {
            stored.sequence = nextSequence
            nextSequence += 1
        }
        records[typeKey, default: [:]][record.id15] = stored
        addToIndex(stored)
    }

    private mutating func addToIndex(_ record: StoredRecord) {
        guard let schema = schema(record.type) else { return }
        let typeKey = record.type.lowercased()
        for field in schema.fields where field.indexed {
            if let key = field.comparisonKey(record[field.name]) {
                let fieldKey = field.name.lowercased()
                index[typeKey, default: [:]][fieldKey, default: [:]][key, default: []].insert(record.id15)
            }
        }
        if typeKey == "campaignmember", let pair = Self.memberPair(record) {
            memberPairs[pair] = record.id15
        }
    }

    mutating func unindexForRemoval(_ record: StoredRecord) {
        unindex(record)
    }

    private mutating func unindex(_ record: StoredRecord) {
        guard let schema = schema(record.type) else { return }
        let typeKey = record.type.lowercased()
        for field in schema.fields where field.indexed {
            if let key = field.comparisonKey(record[field.name]) {
                index[typeKey]?[field.name.lowercased()]?[key]?.remove(record.id15)
            }
        }
        if typeKey == "campaignmember", let pair = Self.memberPair(record) {
            memberPairs[pair] = nil
        }
    }

    static func memberPair(_ record: StoredRecord) -> String? {
        guard let campaign = record["CampaignId"].stringValue.flatMap(SalesforceId.canonical15) else { return nil }
        let person = record["ContactId"].stringValue ?? record["LeadId"].stringValue
        guard let person15 = person.flatMap(SalesforceId.canonical15) else { return nil }
        return "\(campaign)|\(person15)"
    }

    // MARK: - Seeding

    private mutating func seed(_ org: SalesforceSandboxSetup.Org, now: Date) throws(SetupError) {
        let stamp = JSONValue.string(SalesforceDate.format(now))
        func system(_ fields: [String: JSONValue]) -> [String: JSONValue] {
            fields.merging(
                ["IsDeleted": .bool(false), "CreatedDate": stamp, "LastModifiedDate": stamp],
                uniquingKeysWith: { first, _ in first }
            )
        }
        func id15(_ raw: String, prefix: String, what: String) throws(SetupError) -> String {
            guard let id = SalesforceId.canonical15(raw), id.hasPrefix(prefix) else {
                throw SetupError(orgId: org.orgId, reason: "\(what) id '\(raw)' is not a \(prefix)… id")
            }
            return id
        }
        for contact in org.contacts {
            let id = try id15(contact.id, prefix: "003", what: "contact")
            put(
                StoredRecord(
                    type: "Contact",
                    id15: id,
                    fields: system([
                        "Id": .string(id + SalesforceId.checksum(of: id)),
                        "FirstName": contact.firstName.map(JSONValue.string) ?? .null,
                        "LastName": .string(contact.lastName),
                        "Email": contact.email.map(JSONValue.string) ?? .null,
                    ]),
                    sequence: 0
                )
            )
        }
        for lead in org.leads {
            let id = try id15(lead.id, prefix: "00Q", what: "lead")
            var converted = JSONValue.null
            if let contactId = lead.convertedContactId {
                let contact15 = try id15(contactId, prefix: "003", what: "converted contact")
                guard record("Contact", id15: contact15) != nil else {
                    throw SetupError(
                        orgId: org.orgId,
                        reason: "lead \(lead.id) is converted to unknown contact \(contactId)"
                    )
                }
                converted = .string(contact15 + SalesforceId.checksum(of: contact15))
            }
            put(
                StoredRecord(
                    type: "Lead",
                    id15: id,
                    fields: system([
                        "Id": .string(id + SalesforceId.checksum(of: id)),
                        "FirstName": lead.firstName.map(JSONValue.string) ?? .null,
                        "LastName": .string(lead.lastName),
                        "Company": .string(lead.company),
                        "Email": lead.email.map(JSONValue.string) ?? .null,
                        "Status": .string("Open - Not Contacted"),
                        "IsConverted": .bool(!converted.isNull),
                        "ConvertedContactId": converted,
                    ]),
                    sequence: 0
                )
            )
        }
        for campaign in org.campaigns {
            let id = try id15(campaign.id, prefix: "701", what: "campaign")
            guard campaign.statuses.filter(\.isDefault).count == 1, campaign.statuses.contains(where: \.hasResponded)
            else {
                throw SetupError(
                    orgId: org.orgId,
                    reason: "campaign \(campaign.id) needs exactly one default status and at least one responded one"
                )
            }
            put(
                StoredRecord(
                    type: "Campaign",
                    id15: id,
                    fields: system([
                        "Id": .string(id + SalesforceId.checksum(of: id)),
                        "Name": .string(campaign.name),
                        "IsActive": .bool(true),
                    ]),
                    sequence: 0
                )
            )
            for (order, status) in campaign.statuses.enumerated() {
                let statusId = newId(prefix: "01Y")
                put(
                    StoredRecord(
                        type: "CampaignMemberStatus",
                        id15: statusId,
                        fields: system([
                            "Id": .string(statusId + SalesforceId.checksum(of: statusId)),
                            "CampaignId": .string(id + SalesforceId.checksum(of: id)),
                            "Label": .string(status.label),
                            "IsDefault": .bool(status.isDefault),
                            "HasResponded": .bool(status.hasResponded),
                            "SortOrder": .number(Double(order + 1)),
                        ]),
                        sequence: 0
                    )
                )
            }
        }
    }
}

extension OrgData {
    /// Deletes a record (hard: the sandbox keeps no recycle bin).
    mutating func remove(_ type: String, id15: String) {
        guard let old = record(type, id15: id15) else { return }
        unindexForRemoval(old)
        records[type.lowercased()]?[id15] = nil
        deletedIds.insert(id15)
    }
}
