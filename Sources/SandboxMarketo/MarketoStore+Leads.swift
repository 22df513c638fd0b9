import Foundation

extension MarketoStore {
    // MARK: - Sync Leads

    /// `POST /rest/v1/leads.json`: createOrUpdate, createOnly, updateOnly, createDuplicate; results by position,
    /// no `seq`, skipped records with `reasons`.
    func syncLeads(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let body = try jsonBody(request)
        let input = try inputArray(body, sub)
        let action = body["action"]?.stringValue ?? "createOrUpdate"
        guard ["createOrUpdate", "createOnly", "updateOnly", "createDuplicate"].contains(action) else {
            throw ReplyError(.failure("1003", "Invalid action '\(action)'"))
        }
        let lookupField = body["lookupField"]?.stringValue ?? "email"
        let fields = sub.leadFieldsByName
        let lookupSupported = lookupField == "id" || lookupField == "email" || fields[lookupField]?.searchable == true

        var results: [JSONValue] = []
        var recordErrors: [String] = []
        var createdHere = Set<Int>()
        func skip(_ code: String, _ message: String? = nil) {
            results.append(
                .object([("status", .string("skipped")), ("reasons", .array([SandboxReply.reason(code, message)]))])
            )
            recordErrors.append(code)
        }
        for item in input {
            guard let members = item.objectMembers else {
                skip("1003", "Invalid data")
                continue
            }
            guard lookupSupported else {
                skip("1011", "Field '\(lookupField)' not supported")
                continue
            }
            if let unknown = members.first(where: { fields[$0.0] == nil }) {
                skip("1006", "Field '\(unknown.0)' not found")
                continue
            }
            if members.contains(where: { $0.0 == "id" }), action != "updateOnly" {
                skip("1003", "Field 'id' is allowed only with action 'updateOnly'")
                continue
            }
            if let readOnly = members.first(where: { $0.0 != "id" && fields[$0.0]?.updateable == false }) {
                skip("1003", "Field '\(readOnly.0)' is not updateable")
                continue
            }
            var values: [String: SandboxValue] = [:]
            var invalid: (JSONValue, String)?
            for (name, value) in members where name != "id" {
                guard let field = fields[name] else { continue }
                guard let converted = FieldValidation.convert(value, dataType: field.dataType) else {
                    invalid = (value, field.dataType)
                    break
                }
                values[name] = converted
            }
            if let invalid {
                skip("1001", FieldValidation.invalidValueMessage(invalid.0, invalid.1))
                continue
            }
            guard let lookupValue = item[lookupField], !lookupValue.isNull, lookupValue.scalarText != "" else {
                skip("1003", "Value for lookup field '\(lookupField)' not found")
                continue
            }
            var matches = action == "createDuplicate" ? [] : leadIds(in: sub, field: lookupField, value: lookupValue)
            if sub.setup.concurrentUpsertsMayDuplicate {
                // Marketo looks leads up when a call arrives: a lead created by a call that was still running
                // then is invisible, so two overlapping upserts of a new email both create it.
                matches.removeAll {
                    !createdHere.contains($0) && (sub.leadCreatedTick[$0] ?? 0) > request.admissionTick
                }
            }
            switch action {
            case "createOnly" where !matches.isEmpty:
                skip("1005")
            case "updateOnly" where matches.isEmpty:
                skip("1004")
            case _ where matches.count > 1:
                skip("1007")
            case _ where matches.count == 1:
                updateLead(&sub, id: matches[0], values: values, now: now)
                results.append(.object([("id", .int(matches[0])), ("status", .string("updated"))]))
            default:
                let id = createLead(&sub, values: values, now: now)
                createdHere.insert(id)
                results.append(.object([("id", .int(id)), ("status", .string("created"))]))
            }
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }

    /// Leads whose `field` equals `value` (emails case-insensitively), by id.
    func leadIds(in sub: SubscriptionState, field: String, value: JSONValue) -> [Int] {
        switch field {
        case "id":
            return value.intValue.flatMap { sub.leads[$0] != nil ? [$0] : nil } ?? []
        case "email":
            return sub.leadIds(withEmail: value.scalarText).sorted()
        default:
            let text = value.scalarText
            return sub.leads.values.filter { $0.fields[field]?.description == text }.map(\.id).sorted()
        }
    }

    func createLead(_ sub: inout SubscriptionState, values: [String: SandboxValue], now: Date) -> Int {
        let id = sub.nextLeadId
        sub.nextLeadId += 1
        sub.tick += 1
        sub.leadCreatedTick[id] = sub.tick
        let stored = values.filter { $0.value != .null }
        sub.leads[id] = SandboxLead(id: id, fields: stored, createdAt: now, updatedAt: now)
        sub.indexEmail(of: id, old: nil, new: stored["email"]?.stringValue)
        return id
    }

    func updateLead(_ sub: inout SubscriptionState, id: Int, values: [String: SandboxValue], now: Date) {
        guard var lead = sub.leads[id] else { return }
        let oldEmail = lead.email
        for (name, value) in values {
            lead.fields[name] = value == .null ? nil : value
        }
        lead.updatedAt = now
        sub.leads[id] = lead
        if lead.email != oldEmail { sub.indexEmail(of: id, old: oldEmail, new: lead.email) }
    }

    // MARK: - Get Leads

    /// `GET /rest/v1/leads.json?filterType=…&filterValues=…&fields=…`
    func getLeads(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        guard let filterType = request.query["filterType"], !filterType.isEmpty else {
            throw ReplyError(.failure("701", "filterType cannot be blank"))
        }
        let values = list(request.query["filterValues"])
        guard !values.isEmpty else { throw ReplyError(.failure("701", "filterValues cannot be blank")) }
        let fields = sub.leadFieldsByName
        guard filterType == "id" || filterType == "email" || fields[filterType]?.searchable == true else {
            throw ReplyError(.failure("1003", "Invalid filterType '\(filterType)'"))
        }
        let max = sub.setup.limits.maxRecordsPerCall
        guard values.count <= max else {
            throw ReplyError(.failure("1003", "Number of filterValues \(values.count) exceeds the limit of \(max)"))
        }
        let requested = try requestedLeadFields(sub, request)
        var ids: [Int] = []
        var seen = Set<Int>()
        for value in values {
            for id in leadIds(in: sub, field: filterType, value: .string(value)) where seen.insert(id).inserted {
                ids.append(id)
            }
        }
        ids.sort()
        guard ids.count <= sub.setup.limits.maxLeadsPerFilter else {
            throw ReplyError(.failure("1003", "Too many results match the filter"))
        }
        let scope = "leads:\(filterType):\(values.joined(separator: ","))"
        let (range, extra) = try page(count: ids.count, request, scope: scope)
        let result = ids[range].compactMap { sub.leads[$0] }.map { leadJSON($0, fields: requested) }
        return .success(result, extra: extra)
    }

    /// `GET /rest/v1/leads/programs/{programId}.json`: the program's members as leads, each with `membership`.
    func getLeadsByProgram(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let (program, _) = try programAndChannel(sub, request)
        let requested = try requestedLeadFields(sub, request)
        let members = (sub.memberships[program.id] ?? [:]).values.filter { $0.step > 0 }.sorted {
            $0.leadId < $1.leadId
        }
        let (range, extra) = try page(count: members.count, request, scope: "programLeads:\(program.id)")
        let result = members[range].compactMap { member -> JSONValue? in
            guard let lead = sub.leads[member.leadId], case .object(var fields) = leadJSON(lead, fields: requested)
            else { return nil }
            fields.append(
                (
                    "membership",
                    .object([
                        ("progressionStatus", .string(member.statusName)), ("acquiredBy", .bool(member.acquiredBy)),
                        ("reachedSuccess", .bool(member.reachedSuccess)),
                        ("membershipDate", .string(MarketoStore.iso(member.membershipDate))),
                        ("isExhausted", .bool(false)),
                    ])
                )
            )
            return .object(fields)
        }
        return .success(result, extra: extra)
    }

    /// `GET /rest/v1/lead/{id}.json`
    func getLeadById(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let requested = try requestedLeadFields(sub, request)
        let lead = request.intParameter("leadId").flatMap { sub.leads[$0] }
        return .success(lead.map { [leadJSON($0, fields: requested)] } ?? [])
    }

    private func requestedLeadFields(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> [String]
    {
        var requested = list(request.query["fields"])
        if requested.isEmpty { requested = ["id", "email", "updatedAt", "createdAt", "firstName", "lastName"] }
        let known = sub.leadFieldsByName
        if let unknown = requested.first(where: { known[$0] == nil }) {
            throw ReplyError(.failure("1006", "Field '\(unknown)' not found"))
        }
        return requested
    }

    /// A lead as Get Leads returns it: `id` first, then the requested fields that have a value.
    func leadJSON(_ lead: SandboxLead, fields: [String]) -> JSONValue {
        var members: [(String, JSONValue)] = [("id", .int(lead.id))]
        for name in fields where name != "id" {
            switch name {
            case "createdAt": members.append((name, .string(MarketoStore.iso(lead.createdAt))))
            case "updatedAt": members.append((name, .string(MarketoStore.iso(lead.updatedAt))))
            default:
                if let value = lead.fields[name], value != .null { members.append((name, value.json)) }
            }
        }
        return .object(members)
    }

    // MARK: - Describe

    /// `GET /rest/v1/leads/describe.json`
    func describeLeads(_ sub: SubscriptionState) throws(ReplyError) -> SandboxReply {
        let result = sub.setup.leadFields.enumerated().map { index, field -> JSONValue in
            var members: [(String, JSONValue)] = [
                ("id", .int(index + 1)), ("displayName", .string(field.displayName)),
                ("dataType", .string(field.dataType)),
            ]
            if let length = field.length { members.append(("length", .int(length))) }
            let api = JSONValue.object([("name", .string(field.name)), ("readOnly", .bool(!field.updateable))])
            members.append(("rest", api))
            members.append(("soap", api))
            return .object(members)
        }
        return .success(result)
    }

    /// `GET /rest/v1/leads/describe2.json`
    func describeLeads2(_ sub: SubscriptionState) throws(ReplyError) -> SandboxReply {
        let searchable = sub.setup.leadFields.filter(\.searchable).map { JSONValue.array([.string($0.name)]) }
        let fields = sub.setup.leadFields.map { field -> JSONValue in
            var members: [(String, JSONValue)] = [
                ("name", .string(field.name)), ("displayName", .string(field.displayName)),
                ("dataType", .string(field.dataType)),
            ]
            if let length = field.length { members.append(("length", .int(length))) }
            members.append(("updateable", .bool(field.updateable)))
            members.append(("crmManaged", .bool(false)))
            return .object(members)
        }
        let result = JSONValue.object([
            ("name", .string("API Lead")), ("searchableFields", .array(searchable)), ("fields", .array(fields)),
        ])
        return .success([result], records: 1)
    }
}
