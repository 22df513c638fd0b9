import Foundation

extension MarketoStore {
    // MARK: - Sync Program Member Status

    /// `POST /rest/v1/programs/{programId}/members/status.json`: an upsert that never moves a member to a lower
    /// step (1037), allows lateral moves between statuses of the same step, and removes the membership for
    /// `Not in Program`.
    ///
    /// With `legacy`, the older `POST /rest/v1/leads/programs/{programId}/status.json` (marketo-rest-python's
    /// `change_lead_program_status`): body `{"status":…,"input":[{"id":…}]}`, results `{id,status,reasons?}`
    /// without `seq`. The 2021 release note calls the two functionally equivalent, so it upserts too.
    func syncMemberStatus(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date,
        legacy: Bool = false
    ) throws(ReplyError)
        -> SandboxReply
    {
        let (program, channel) = try programAndChannel(sub, request)
        let body = try jsonBody(request)
        let statusKey = legacy ? "status" : "statusName"
        let idKey = legacy ? "id" : "leadId"
        guard let statusName = body[statusKey]?.stringValue, !statusName.isEmpty else {
            throw ReplyError(.failure("701", "\(statusKey) cannot be blank"))
        }
        let input = try inputArray(body, sub)
        let target: MarketoSandboxSetup.Channel.Status?
        if statusName == "Not in Program" {
            target = MarketoSandboxSetup.Channel.Status(name: statusName, step: 0)
        } else {
            target = channel.statuses.first { $0.name == statusName }
        }
        let notFound = "Program status '\(statusName)' did not match a status available for the program's channel"
        if target == nil, sub.setup.invalidStatusReporting == .responseLevel {
            throw ReplyError(.failure("1025", notFound))
        }
        var results: [JSONValue] = []
        var recordErrors: [String] = []
        for (seq, item) in input.enumerated() {
            let requestedId = item[idKey]?.intValue
            func skip(_ code: String, _ message: String? = nil) {
                let head: [(String, JSONValue)] =
                    legacy ? [("id", requestedId.map(JSONValue.int) ?? .null)] : [("seq", .int(seq))]
                results.append(
                    .object(
                        head + [
                            ("status", .string("skipped")), ("reasons", .array([SandboxReply.reason(code, message)])),
                        ]
                    )
                )
                recordErrors.append(code)
            }
            guard let leadId = requestedId else {
                skip("1003", "\(idKey) is required")
                continue
            }
            guard sub.leads[leadId] != nil else {
                skip("1004")
                continue
            }
            guard let target else {
                skip("1025", notFound)
                recordHistory(&sub, program.id, leadId, statusName, "skipped", "1025", now)
                continue
            }
            let existing = sub.memberships[program.id]?[leadId]
            let isMember = existing.map { $0.step > 0 } ?? false
            let outcome: String
            if target.step == 0 {
                guard isMember else {
                    skip("1037", "Lead not in program")
                    recordHistory(&sub, program.id, leadId, statusName, "skipped", "1037", now)
                    continue
                }
                outcome = "updated"
                sub.memberships[program.id]?[leadId]?.statusName = target.name
                sub.memberships[program.id]?[leadId]?.step = 0
                recordHistory(&sub, program.id, leadId, statusName, "removed", nil, now)
            } else if let existing, isMember {
                guard existing.step <= target.step, existing.statusName != target.name else {
                    skip("1037")
                    recordHistory(&sub, program.id, leadId, statusName, "skipped", "1037", now)
                    continue
                }
                outcome = "updated"
                applyStatus(&sub, program.id, leadId, target, now: now)
                recordHistory(&sub, program.id, leadId, statusName, outcome, nil, now)
            } else {
                outcome = "created"
                let acquired = !sub.memberships.values.contains { $0[leadId].map { $0.step > 0 } ?? false }
                let history = existing?.history ?? []
                sub.memberships[program.id, default: [:]][leadId] = SandboxMembership(
                    programId: program.id,
                    leadId: leadId,
                    statusName: target.name,
                    step: target.step,
                    reachedSuccess: false,
                    reachedSuccessDate: nil,
                    membershipDate: now,
                    acquiredBy: acquired,
                    history: history
                )
                applyStatus(&sub, program.id, leadId, target, now: now)
                recordHistory(&sub, program.id, leadId, statusName, outcome, nil, now)
            }
            if legacy {
                results.append(.object([("id", .int(leadId)), ("status", .string(outcome))]))
            } else {
                results.append(.object([("seq", .int(seq)), ("status", .string(outcome)), ("leadId", .int(leadId))]))
            }
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }

    private func applyStatus(
        _ sub: inout SubscriptionState,
        _ programId: Int,
        _ leadId: Int,
        _ status: MarketoSandboxSetup.Channel.Status,
        now: Date
    ) {
        guard var member = sub.memberships[programId]?[leadId] else { return }
        member.statusName = status.name
        member.step = status.step
        if status.success, !member.reachedSuccess {
            member.reachedSuccess = true
            member.reachedSuccessDate = now
        }
        sub.memberships[programId]?[leadId] = member
    }

    func recordHistory(
        _ sub: inout SubscriptionState,
        _ programId: Int,
        _ leadId: Int,
        _ statusName: String,
        _ outcome: String,
        _ code: String?,
        _ now: Date,
        source: String = "rest"
    ) {
        let change = SandboxMembership.StatusChange(
            statusName: statusName,
            outcome: outcome,
            reasonCode: code,
            at: now,
            source: source
        )
        if sub.memberships[programId]?[leadId] != nil {
            sub.memberships[programId]?[leadId]?.history.append(change)
        }
    }

    /// The program of the path and its channel; 1013 when the program is unknown.
    func programAndChannel(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> (MarketoSandboxSetup.Program, MarketoSandboxSetup.Channel)
    {
        guard let id = request.intParameter("programId"), let program = sub.program(id),
            let channel = sub.channel(named: program.channel)
        else {
            throw ReplyError(.failure("1013", "Program '\(request.parameters["programId"] ?? "")' not found"))
        }
        return (program, channel)
    }

    // MARK: - Get, delete, describe members

    /// `GET /rest/v1/programs/{programId}/members.json?filterType=leadId|statusName|reachedSuccess&filterValues=…`
    func getMembers(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        let (program, _) = try programAndChannel(sub, request)
        guard let filterType = request.query["filterType"], !filterType.isEmpty else {
            throw ReplyError(.failure("701", "filterType cannot be blank"))
        }
        guard ["leadId", "statusName", "reachedSuccess"].contains(filterType) else {
            throw ReplyError(.failure("1003", "Invalid filterType '\(filterType)'"))
        }
        let values = list(request.query["filterValues"])
        guard !values.isEmpty else { throw ReplyError(.failure("701", "filterValues cannot be blank")) }
        guard values.count <= sub.setup.limits.maxRecordsPerCall else {
            throw ReplyError(.failure("1003", "Number of filterValues exceeds the limit"))
        }
        var fields = list(request.query["fields"])
        if fields.isEmpty { fields = ["acquiredBy", "leadId", "membershipDate", "programId", "reachedSuccess"] }
        let known: Set<String> = [
            "acquiredBy", "leadId", "membershipDate", "programId", "reachedSuccess", "statusName", "statusReason",
            "trackName", "reachedSuccessDate", "isExhausted", "nurtureCadence", "progressionStatus", "updatedAt",
        ]
        if let unknown = fields.first(where: { !known.contains($0) }) {
            throw ReplyError(.failure("1006", "Field '\(unknown)' not found"))
        }
        let members = (sub.memberships[program.id] ?? [:]).values.filter { $0.step > 0 }.filter { member in
            switch filterType {
            case "leadId": values.contains(String(member.leadId))
            case "statusName": values.contains(member.statusName)
            default: values.map { $0.lowercased() }.contains(member.reachedSuccess ? "true" : "false")
            }
        }.sorted { $0.leadId < $1.leadId }
        let scope = "members:\(program.id):\(filterType):\(values.joined(separator: ","))"
        let (range, extra) = try page(count: members.count, request, scope: scope)
        let result = members[range].enumerated().map { offset, member -> JSONValue in
            var out: [(String, JSONValue)] = [("seq", .int(range.lowerBound + offset))]
            for field in fields {
                switch field {
                case "acquiredBy": out.append((field, .bool(member.acquiredBy)))
                case "leadId": out.append((field, .int(member.leadId)))
                case "membershipDate": out.append((field, .string(MarketoStore.iso(member.membershipDate))))
                case "programId": out.append((field, .int(member.programId)))
                case "reachedSuccess": out.append((field, .bool(member.reachedSuccess)))
                case "statusName", "progressionStatus": out.append((field, .string(member.statusName)))
                case "reachedSuccessDate":
                    out.append((field, member.reachedSuccessDate.map { .string(MarketoStore.iso($0)) } ?? .null))
                case "isExhausted": out.append((field, .bool(false)))
                case "updatedAt":
                    out.append((field, .string(MarketoStore.iso(member.history.last?.at ?? member.membershipDate))))
                default: out.append((field, .null))
                }
            }
            return .object(out)
        }
        return .success(result, extra: extra)
    }

    /// `POST /rest/v1/programs/{programId}/members/delete.json`
    func deleteMembers(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let (program, _) = try programAndChannel(sub, request)
        let body = try jsonBody(request)
        let input = try inputArray(body, sub)
        var results: [JSONValue] = []
        var recordErrors: [String] = []
        for (seq, item) in input.enumerated() {
            guard let leadId = item["leadId"]?.intValue, let member = sub.memberships[program.id]?[leadId],
                member.step > 0
            else {
                results.append(
                    .object([
                        ("seq", .int(seq)), ("status", .string("skipped")),
                        ("reasons", .array([SandboxReply.reason("1037", "Lead not in program")])),
                    ])
                )
                recordErrors.append("1037")
                continue
            }
            sub.memberships[program.id]?[leadId]?.step = 0
            sub.memberships[program.id]?[leadId]?.statusName = "Not in Program"
            recordHistory(&sub, program.id, leadId, "Not in Program", "removed", nil, now)
            results.append(.object([("seq", .int(seq)), ("status", .string("deleted")), ("leadId", .int(leadId))]))
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }

    /// `GET /rest/v1/programs/members/describe.json`
    func describeMembers() throws(ReplyError) -> SandboxReply {
        let fields: [(String, String, String)] = [
            ("leadId", "Lead Id", "integer"), ("programId", "Program Id", "integer"),
            ("statusName", "Status Name", "string"), ("reachedSuccess", "Reached Success", "boolean"),
            ("reachedSuccessDate", "Reached Success Date", "datetime"), ("acquiredBy", "Acquired By", "boolean"),
            ("membershipDate", "Membership Date", "datetime"),
        ]
        let result = JSONValue.object([
            ("name", .string("API Program Membership")),
            ("description", .string("Map for API program membership fields")),
            ("dedupeFields", .array([.string("leadId"), .string("programId")])),
            (
                "searchableFields",
                .array([
                    .array([.string("leadId")]), .array([.string("statusName")]),
                    .array([.string("reachedSuccess")]),
                ])
            ),
            (
                "fields",
                .array(
                    fields.map { name, display, type in
                        .object([
                            ("name", .string(name)), ("displayName", .string(display)), ("dataType", .string(type)),
                            ("updateable", .bool(false)),
                        ])
                    }
                )
            ),
        ])
        return .success([result])
    }

    // MARK: - Asset API: program and channels

    /// `GET /rest/asset/v1/program/{programId}.json`
    func getProgram(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        guard let id = request.intParameter("programId"), let program = sub.program(id) else {
            return .success(
                [],
                extra: [("errors", .array([]))],
                warnings: ["No assets found for the given search criteria."]
            )
        }
        let result = JSONValue.object([
            ("id", .int(program.id)), ("name", .string(program.name)), ("description", .string("")),
            ("type", .string("Event")), ("channel", .string(program.channel)), ("status", .string("")),
            ("workspace", .string("Default")),
        ])
        return .success([result], extra: [("errors", .array([])), ("warnings", .array([]))])
    }

    /// `GET /rest/asset/v1/channels.json`
    func getChannels(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        .success(
            sub.setup.channels.enumerated().map { channelJSON($1, id: $0 + 1) },
            extra: [("errors", .array([])), ("warnings", .array([]))]
        )
    }

    /// `GET /rest/asset/v1/channel/byName.json?name=…`
    func getChannelByName(_ sub: SubscriptionState, _ request: SandboxRequest) throws(ReplyError) -> SandboxReply {
        guard let name = request.query["name"], !name.isEmpty else {
            throw ReplyError(.failure("701", "name cannot be blank"))
        }
        guard let index = sub.setup.channels.firstIndex(where: { $0.name == name }) else {
            return .success(
                [],
                extra: [("errors", .array([]))],
                warnings: ["No assets found for the given search criteria."]
            )
        }
        return .success(
            [channelJSON(sub.setup.channels[index], id: index + 1)],
            extra: [("errors", .array([])), ("warnings", .array([]))]
        )
    }

    private func channelJSON(_ channel: MarketoSandboxSetup.Channel, id: Int) -> JSONValue {
        let statuses = channel.statuses.map { status -> JSONValue in
            .object([
                ("name", .string(status.name)), ("step", .int(status.step)), ("description", .null),
                ("hidden", .bool(false)), ("success", .bool(status.success)),
            ])
        }
        return .object([
            ("id", .int(id)), ("name", .string(channel.name)),
            ("applicableProgramType", .string(channel.applicableProgramType)),
            ("progressionStatuses", .array(statuses)),
        ])
    }
}
