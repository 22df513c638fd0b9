import Marketo

// MARK: - LeadRequest

/// A lead whose id a batch needs: its email and the lead fields its latest profile maps to.
struct LeadRequest: Sendable {
    /// The normalised email (the lookup field).
    var email: String
    /// `email` and the mapped profile fields.
    var fields: [String: MarketoFieldValue]
    /// Whether a profile came with the commands (without one, a cached id is always good enough).
    var hasProfile: Bool

    /// A stable digest of the fields (FNV-1a 64 over the sorted `name=value` pairs): equal fields, equal digest,
    /// in every process.
    var profileDigest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x3D) &* 0x100_0000_01b3
            for byte in value.description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
