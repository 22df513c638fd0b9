// MARK: - Destination command id code

extension Destination {
    /// The destination's letter in command id inputs.
    var canonicalCode: UInt8 {
        switch self {
        case .marketo: UInt8(ascii: "m")
        case .salesforce: UInt8(ascii: "s")
        }
    }
}
