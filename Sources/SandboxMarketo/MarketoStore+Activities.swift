import Foundation

extension MarketoStore {
    // MARK: - Types

    /// `GET /rest/v1/activities/external/types.json`
    func activityTypes(_ sub: SubscriptionState) throws(ReplyError) -> SandboxReply {
        .success(sub.setup.activityTypes.map { activityTypeJSON($0, describe: false) })
    }

    /// `GET /rest/v1/activities/external/type/{apiName}/describe.json[?draft=true]`
    func describeActivityType(
        _ sub: SubscriptionState,
        _ request: SandboxRequest
    ) throws(ReplyError)
        -> SandboxReply
    {
        let apiName = request.parameters["apiName"] ?? ""
        let wantsDraft = request.query["draft"] == "true"
        guard let type = sub.setup.activityTypes.first(where: { $0.apiName == apiName }),
            type.status != "deleted", wantsDraft || type.isLive
        else {
            throw ReplyError(.failure("1013", "Activity type '\(apiName)' not found"))
        }
        return .success([activityTypeJSON(type, describe: true)])
    }

    private func activityTypeJSON(_ type: MarketoSandboxSetup.ActivityType, describe: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .int(type.id)), ("apiName", .string(type.apiName)), ("name", .string(type.name)),
            ("description", .string(type.name)), ("triggerName", .string(type.triggerName)),
            ("filterName", .string(type.filterName)),
            ("createdAt", .string(MarketoStore.iso(origin))), ("updatedAt", .string(MarketoStore.iso(origin))),
            ("status", .string(type.status)),
        ]
        if describe {
            let attribute = { (field: MarketoSandboxSetup.Field) -> JSONValue in
                .object([
                    ("apiName", .string(field.name)), ("name", .string(field.displayName)),
                    ("description", .string(field.displayName)), ("dataType", .string(field.dataType)),
                ])
            }
            members.append(("primaryAttribute", attribute(type.primaryAttribute)))
            members.append(("attributes", .array(type.attributes.map(attribute))))
        }
        return .object(members)
    }

    // MARK: - Add Custom Activities

    /// `POST /rest/v1/activities/external.json`: skipped records use `errors`, not `reasons`.
    func addActivities(
        _ sub: inout SubscriptionState,
        _ request: SandboxRequest,
        now: Date
    ) throws(ReplyError)
        -> SandboxReply
    {
        let body = try jsonBody(request)
        let input = try inputArray(body, sub)
        var results: [JSONValue] = []
        var recordErrors: [String] = []
        for item in input {
            switch validateActivity(sub, item) {
            case .failure(let error):
                results.append(
                    .object([
                        ("status", .string("skipped")),
                        ("errors", .array([SandboxReply.reason(error.code, error.message)])),
                    ])
                )
                recordErrors.append(error.code)
            case .success(var activity):
                activity.id = sub.nextActivityId
                activity.marketoGUID = String(sub.nextActivityId)
                activity.createdAt = now
                sub.nextActivityId += 1
                sub.activities.append(activity)
                results.append(
                    .object([
                        ("id", .int(activity.id)), ("marketoGUID", .string(activity.marketoGUID)),
                        ("status", .string("added")),
                    ])
                )
            }
        }
        return .success(results, records: input.count, recordErrorCodes: recordErrors)
    }

    /// A record-level error: code and message.
    struct RecordError: Error {
        var code: String
        var message: String?
        init(_ code: String, _ message: String? = nil) {
            self.code = code
            self.message = message
        }
    }

    private func validateActivity(_ sub: SubscriptionState, _ item: JSONValue) -> Result<SandboxActivity, RecordError> {
        guard item.objectMembers != nil else { return .failure(RecordError("1003")) }
        for required in ["leadId", "activityDate", "activityTypeId", "primaryAttributeValue", "attributes"]
        where item[required] == nil || item[required]?.isNull == true {
            return .failure(RecordError("1002", "Missing value for required parameter '\(required)'"))
        }
        guard let typeId = item["activityTypeId"]?.intValue,
            let type = sub.setup.activityTypes.first(where: { $0.id == typeId }), type.status != "deleted"
        else {
            return .failure(
                RecordError("1013", "Activity type '\(item["activityTypeId"]?.scalarText ?? "")' not found")
            )
        }
        guard type.isLive else {
            return .failure(RecordError("1013", "Activity type '\(type.apiName)' is not approved"))
        }
        guard let leadId = item["leadId"]?.intValue, sub.leads[leadId] != nil else {
            return .failure(RecordError("1004"))
        }
        guard let date = item["activityDate"]?.stringValue, MarketoStore.parseDate(date) != nil else {
            let value = item["activityDate"] ?? .null
            return .failure(RecordError("1001", FieldValidation.invalidValueMessage(value, "datetime")))
        }
        let primary = item["primaryAttributeValue"] ?? .null
        guard FieldValidation.convert(primary, dataType: type.primaryAttribute.dataType) != nil,
            primary.scalarText != ""
        else {
            return .failure(
                RecordError("1001", FieldValidation.invalidValueMessage(primary, type.primaryAttribute.dataType))
            )
        }
        guard let attributes = item["attributes"]?.arrayValue else {
            return .failure(RecordError("1003", "attributes must be an array"))
        }
        if (item["attributes"] ?? .null).serialized().utf8.count > 65_536 { return .failure(RecordError("1049")) }
        var values: [String: SandboxValue] = [:]
        for attribute in attributes {
            let key = attribute["apiName"]?.stringValue ?? attribute["name"]?.stringValue ?? ""
            guard let field = type.attributes.first(where: { $0.name == key || $0.displayName == key }) else {
                return .failure(RecordError("1006", "Field '\(key)' not found"))
            }
            let value = attribute["value"] ?? .null
            guard let converted = FieldValidation.convert(value, dataType: field.dataType) else {
                return .failure(RecordError("1001", FieldValidation.invalidValueMessage(value, field.dataType)))
            }
            values[field.name] = converted
        }
        return .success(
            SandboxActivity(
                id: 0,
                marketoGUID: "",
                leadId: leadId,
                activityTypeId: type.id,
                activityTypeApiName: type.apiName,
                activityDate: date,
                primaryAttributeValue: primary.scalarText,
                attributes: values,
                createdAt: Date()
            )
        )
    }
}
