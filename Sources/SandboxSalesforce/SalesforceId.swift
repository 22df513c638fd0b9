// MARK: - SalesforceId

/// Salesforce record ids: a 3-character key prefix, then 12 case-sensitive characters (15 in all), and the
/// 18-character form that adds three characters encoding which of the first 15 are upper case.
///
/// The sandbox stores records by the 15-character id and always answers with the 18-character one, as
/// the REST API does; callers may send either.
public enum SalesforceId {
    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// Builds an 18-character id from a key prefix (e.g. `00Q`), a two-character pod marker and a
    /// sequence number. Deterministic, so setups and tests can know ids in advance.
    /// - Parameters:
    ///   - prefix: The object's 3-character key prefix.
    ///   - pod: Two characters standing for the instance; `Dn` by default.
    ///   - sequence: A number unique within the prefix.
    public static func make(prefix: String, pod: String = "Dn", sequence: Int) -> String {
        var digits: [Character] = []
        var rest = max(sequence, 0)
        for _ in 0..<9 {
            digits.append(base62[rest % 62])
            rest /= 62
        }
        let fifteen = String(prefix.prefix(3)) + String(pod.prefix(2)) + "0" + String(digits.reversed())
        return fifteen + checksum(of: fifteen)
    }

    /// The 3-character suffix of a 15-character id.
    static func checksum(of fifteen: String) -> String {
        let characters = Array(fifteen)
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for position in 0..<5 where characters[chunk * 5 + position].isUppercase {
                bits |= 1 << position
            }
            suffix.append(suffixAlphabet[bits])
        }
        return suffix
    }

    /// The 15-character, case-restored form of a 15- or 18-character id, or nil when it is not well formed
    /// (wrong length, characters outside `[0-9A-Za-z]`, or an 18-character suffix that cannot be decoded).
    public static func canonical15(_ raw: String) -> String? {
        guard raw.count == 15 || raw.count == 18,
            raw.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        let characters = Array(raw)
        if characters.count == 15 { return raw }
        var restored: [Character] = []
        for chunk in 0..<3 {
            guard let bits = suffixAlphabet.firstIndex(of: Character(characters[15 + chunk].uppercased())) else {
                return nil
            }
            for position in 0..<5 {
                let character = characters[chunk * 5 + position]
                let upper = bits & (1 << position) != 0
                restored.append(Character(upper ? character.uppercased() : character.lowercased()))
            }
        }
        return String(restored)
    }

    /// The 18-character form of a well-formed id, or nil.
    public static func canonical18(_ raw: String) -> String? {
        guard let fifteen = canonical15(raw) else { return nil }
        return fifteen + checksum(of: fifteen)
    }
}
