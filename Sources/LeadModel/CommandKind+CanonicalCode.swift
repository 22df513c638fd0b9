// MARK: - CommandKind command id code

extension CommandKind {
    /// The kind's letter in command id inputs.
    var canonicalCode: UInt8 {
        switch self {
        case .memberStatus: UInt8(ascii: "s")
        case .engagementUpsert: UInt8(ascii: "u")
        case .engagementActivity: UInt8(ascii: "a")
        }
    }
}
