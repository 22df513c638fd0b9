// MARK: - SOQLQuery

/// The SOQL subset the sandbox answers: `SELECT f, … FROM Object [WHERE cond AND …] [LIMIT n]` where a
/// condition is `field = literal`, `field != literal`, `field IN (literal, …)` or `field NOT IN (…)`, and a
/// literal is a quoted string, a number, `true`, `false` or `null`. Anything else is `MALFORMED_QUERY`.
struct SOQLQuery: Equatable {
    enum Literal: Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    enum Condition: Equatable {
        case equals(field: String, value: Literal, negated: Bool)
        case within(field: String, values: [Literal], negated: Bool)

        var field: String {
            switch self {
            case .equals(let field, _, _), .within(let field, _, _): return field
            }
        }
    }

    var fields: [String]
    var object: String
    var conditions: [Condition]
    var limit: Int?

    // MARK: - Parsing

    /// Parses SOQL text.
    /// - Throws: `MALFORMED_QUERY` with the offending token.
    static func parse(_ text: String) throws(APIError) -> SOQLQuery {
        var tokens = try SOQLTokenizer.tokenize(text)
        tokens.reverse()
        func next() -> SOQLToken? { tokens.popLast() }
        func peek() -> SOQLToken? { tokens.last }
        func unexpected(_ token: SOQLToken?) -> APIError {
            APIError(
                "MALFORMED_QUERY",
                "unexpected token: \(token?.text ?? "<EOF>") (the sandbox answers SELECT fields FROM object "
                    + "[WHERE field = value | field IN (values) joined with AND] [LIMIT n])"
            )
        }
        func expectKeyword(_ keyword: String) throws(APIError) {
            let token = next()
            guard token?.isKeyword(keyword) == true else { throw unexpected(token) }
        }
        func identifier() throws(APIError) -> String {
            let token = next()
            guard case .word(let name)? = token, !SOQLToken.reserved.contains(name.uppercased()) else {
                throw unexpected(token)
            }
            if name.contains(".") {
                throw APIError("MALFORMED_QUERY", "relationship fields are not supported by the sandbox: \(name)")
            }
            return name
        }
        func literal() throws(APIError) -> Literal {
            let token = next()
            switch token {
            case .string(let value)?: return .string(value)
            case .number(let value)?: return .number(value)
            case .word(let word)? where word.uppercased() == "TRUE": return .bool(true)
            case .word(let word)? where word.uppercased() == "FALSE": return .bool(false)
            case .word(let word)? where word.uppercased() == "NULL": return .null
            default: throw unexpected(token)
            }
        }

        try expectKeyword("SELECT")
        var fields = [try identifier()]
        while peek() == .comma {
            _ = next()
            fields.append(try identifier())
        }
        var seen: Set<String> = []
        for field in fields where !seen.insert(field.lowercased()).inserted {
            throw APIError("MALFORMED_QUERY", "duplicate field selected: \(field)")
        }
        try expectKeyword("FROM")
        let object = try identifier()
        var conditions: [Condition] = []
        if peek()?.isKeyword("WHERE") == true {
            _ = next()
            repeat {
                let field = try identifier()
                let token = next()
                switch token {
                case .symbol("=")?: conditions.append(.equals(field: field, value: try literal(), negated: false))
                case .symbol("!=")?: conditions.append(.equals(field: field, value: try literal(), negated: true))
                case .word(let word)? where ["IN", "NOT"].contains(word.uppercased()):
                    let negated = word.uppercased() == "NOT"
                    if negated { try expectKeyword("IN") }
                    guard next() == .open else { throw unexpected(token) }
                    var values = [try literal()]
                    while peek() == .comma {
                        _ = next()
                        values.append(try literal())
                    }
                    let close = next()
                    guard close == .close else { throw unexpected(close) }
                    conditions.append(.within(field: field, values: values, negated: negated))
                default:
                    throw unexpected(token)
                }
                guard peek()?.isKeyword("AND") == true else { break }
                _ = next()
            } while true
        }
        var limit: Int?
        if peek()?.isKeyword("LIMIT") == true {
            _ = next()
            let token = next()
            guard case .number(let value)? = token, value >= 0, value == value.rounded() else {
                throw unexpected(token)
            }
            limit = Int(value)
        }
        if let extra = next() { throw unexpected(extra) }
        return SOQLQuery(fields: fields, object: object, conditions: conditions, limit: limit)
    }
}
