import Foundation

/// Reads single fields of a record's JSON value without the full decoders (dead letters are often invalid).
enum PayloadFields {
    /// The top-level string field `name` of a JSON object, or `nil` when the value is not a JSON object or the
    /// field is absent or not a string.
    static func topLevelString(_ name: String, in value: [UInt8]) -> String? {
        // Cheap pre-check: most values that lack the name need no parse at all.
        guard value.first(where: { !isWhitespace($0) }) == UInt8(ascii: "{") else { return nil }
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(value), options: [.fragmentsAllowed])
                as? [String: Any]
        else { return nil }
        return object[name] as? String
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
