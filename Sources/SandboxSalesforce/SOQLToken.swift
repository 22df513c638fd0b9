// MARK: - SOQLToken

enum SOQLToken: Equatable {
    case word(String)
    case string(String)
    case number(Double)
    case symbol(String)
    case comma
    case open
    case close

    static let reserved: Set<String> = ["SELECT", "FROM", "WHERE", "AND", "OR", "IN", "NOT", "LIMIT", "ORDER", "BY"]

    func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = self { return word.uppercased() == keyword }
        return false
    }

    var text: String {
        switch self {
        case .word(let word): return word
        case .string(let value): return "'\(value)'"
        case .number(let value): return JSONValue.format(value)
        case .symbol(let symbol): return symbol
        case .comma: return ","
        case .open: return "("
        case .close: return ")"
        }
    }
}
