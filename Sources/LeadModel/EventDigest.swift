import Basics

// MARK: - EventDigest

/// A stable 64-bit digest of an event id, kept in lead state to recognise duplicates cheaply.
///
/// It is FNV-1a over the id's UTF-8 bytes followed by a 64-bit finaliser (from SplitMix64) that spreads the bits;
/// the same on every machine and run, unlike Swift's per-process `Hasher`. Collisions between two ids of the same
/// lead are the only false "duplicate" verdicts possible; with 64 bits and a few dozen ids per lead that chance is
/// about 1 in 10^16.
public struct EventDigest: Hashable, Sendable, CustomStringConvertible {
    /// The digest value.
    public let rawValue: UInt64

    /// Wraps a stored digest.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The digest of an event id.
    public init(eventId: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in eventId.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        rawValue = SplitMix64.mix(hash)
    }

    /// 16 lowercase hex digits.
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
