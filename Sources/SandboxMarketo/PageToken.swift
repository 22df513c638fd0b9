import Foundation

/// Opaque paging tokens in Marketo's base32 look (`BFRV7OMVSNJWDVKVTUFS3XHT4E======`), carrying an offset.
enum PageToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(offset: Int, scope: String) -> String {
        encode(text: "\(scope)|\(offset)")
    }

    /// Any text in the token look.
    static func encode(text: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append("=") }
        return out
    }

    /// The offset, when the token was made for the same scope.
    static func decode(_ token: String, scope: String) -> Int? {
        guard let text = decodeText(token), let bar = text.lastIndex(of: "|"), String(text[..<bar]) == scope else {
            return nil
        }
        return Int(text[text.index(after: bar)...])
    }

    /// The text of a token, or nil when it is not one.
    static func decodeText(_ token: String) -> String? {
        var bytes: [UInt8] = []
        var buffer = 0
        var bits = 0
        for ch in token where ch != "=" {
            guard let value = alphabet.firstIndex(of: ch) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
