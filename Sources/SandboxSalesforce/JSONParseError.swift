// MARK: - JSONParseError

/// A JSON text that could not be parsed, with the byte offset where reading stopped.
struct JSONParseError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var reason: String

    var description: String { "JSON parse error at byte \(offset): \(reason)" }
}
