// MARK: - SOQLTokenizer

enum SOQLTokenizer {
    static func tokenize(_ text: String) throws(APIError) -> [SOQLToken] {
        let characters = Array(text)
        var tokens: [SOQLToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "," {
                tokens.append(.comma)
                index += 1
            } else if character == "(" {
                tokens.append(.open)
                index += 1
            } else if character == ")" {
                tokens.append(.close)
                index += 1
            } else if character == "=" {
                tokens.append(.symbol("="))
                index += 1
            } else if character == "!", index + 1 < characters.count, characters[index + 1] == "=" {
                tokens.append(.symbol("!="))
                index += 2
            } else if character == "'" {
                index += 1
                var value = ""
                var closed = false
                while index < characters.count {
                    let current = characters[index]
                    if current == "\\", index + 1 < characters.count {
                        let escaped = characters[index + 1]
                        switch escaped {
                        case "n": value.append("\n")
                        case "r": value.append("\r")
                        case "t": value.append("\t")
                        case "b": value.append("\u{08}")
                        case "f": value.append("\u{0C}")
                        case "'", "\"", "\\", "_", "%": value.append(escaped)
                        default:
                            throw APIError("MALFORMED_QUERY", "Invalid string literal: invalid escape \\\(escaped)")
                        }
                        index += 2
                    } else if current == "'" {
                        closed = true
                        index += 1
                        break
                    } else {
                        value.append(current)
                        index += 1
                    }
                }
                guard closed else { throw APIError("MALFORMED_QUERY", "unterminated string literal") }
                if value.count > 4000 {
                    throw APIError("MALFORMED_QUERY", "string literal longer than 4000 characters")
                }
                tokens.append(.string(value))
            } else if character.isNumber
                || (character == "-" && index + 1 < characters.count
                    && characters[index + 1].isNumber)
            {
                let start = index
                index += 1
                while index < characters.count, characters[index].isNumber || characters[index] == "." {
                    index += 1
                }
                guard let value = Double(String(characters[start..<index])) else {
                    throw APIError("MALFORMED_QUERY", "invalid number \(String(characters[start..<index]))")
                }
                tokens.append(.number(value))
            } else if character.isLetter || character == "_" {
                let start = index
                while index < characters.count,
                    characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
                        || characters[index] == "."
                {
                    index += 1
                }
                tokens.append(.word(String(characters[start..<index])))
            } else {
                throw APIError("MALFORMED_QUERY", "unexpected token: \(character) (not supported by the sandbox)")
            }
        }
        return tokens
    }
}
