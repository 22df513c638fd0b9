// MARK: - OrgRuntime + Describe

extension OrgRuntime {
    /// `GET /sobjects/{type}/describe`: the object's fields with their types, lengths and flags, as Salesforce's
    /// describe names them (`string`, `email`, `double`, `reference`, `picklist`, `id`, `boolean`, `datetime`).
    func describe(_ request: APIRequest) -> APIResult {
        guard let schema = data.schema(request.segments[1]) else { return .failure(404, APIError.notFound()) }
        let fields = schema.fields.map { field -> JSONValue in
            var pairs: [(String, JSONValue)] = [("name", .string(field.name))]
            var length = 0
            var precision = 0
            var scale = 0
            var referenceTo: [JSONValue] = []
            let type: String
            switch field.kind {
            case .id:
                type = "id"
                length = 18
            case .string(let maximum):
                type = "string"
                length = maximum
            case .picklist(let maximum):
                type = "picklist"
                length = maximum
            case .email:
                type = "email"
                length = 80
            case .number(let digits, let decimals):
                type = "double"
                precision = digits
                scale = decimals
            case .boolean:
                type = "boolean"
            case .reference(let target):
                type = "reference"
                length = 18
                referenceTo = [.string(target)]
            case .dateTime:
                type = "datetime"
            case .autoNumber:
                type = "string"
                length = 30
            }
            pairs += [
                ("type", .string(type)), ("length", .number(Double(length))),
                ("precision", .number(Double(precision))), ("scale", .number(Double(scale))),
                ("externalId", .bool(field.externalId)), ("unique", .bool(field.unique)),
                ("caseSensitive", .bool(field.caseSensitive)), ("nillable", .bool(!field.requiredOnCreate)),
                ("createable", .bool(field.createable)), ("updateable", .bool(field.updateable)),
                ("autoNumber", .bool(field.kind == .autoNumber)), ("referenceTo", .array(referenceTo)),
            ]
            return .object(pairs)
        }
        return .json(
            200,
            .object([
                ("name", .string(schema.name)),
                ("keyPrefix", .string(schema.keyPrefix)),
                ("custom", .bool(schema.name.hasSuffix("__c"))),
                ("createable", .bool(schema.createable)),
                ("fields", .array(fields)),
            ])
        )
    }
}
