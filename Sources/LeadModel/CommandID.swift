// MARK: - CommandID

/// A command's deterministic id, formatted like a UUID (version 8, RFC 9562 variant).
///
/// It is the first 128 bits of SHA-256 over a canonical, length-prefixed encoding of: the format tag
/// `leadsync.command.v1`, destination, kind, lead key, virtualEventId, the discriminator (the status name for
/// `memberStatus`; entry id and the snapshot's `occurredAt` in milliseconds for engagement kinds) and the source
/// event id; then the version and variant bits are set. Equal inputs give equal ids in every process and run, so a
/// replay re-emits the same ids and writers can recognise repeats.
public struct CommandID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The lowercase UUID text, e.g. `1b4e28ba-2fa1-81d2-883f-0016d3cca427`.
    public let rawValue: String

    /// Wraps an id read back from JSON. It is not re-derived or checked beyond being non-empty.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty else { return nil }
        self.rawValue = rawValue
    }

    private init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }

    /// Derives the id of a member status command.
    public static func memberStatus(
        destination: Destination,
        leadKey: LeadKey,
        virtualEventId: String,
        status: ChannelStatus,
        sourceEventId: String
    ) -> CommandID {
        derive([
            destination.rawValue, CommandKind.memberStatus.rawValue, leadKey.rawValue, virtualEventId, status.name,
            sourceEventId,
        ])
    }

    /// Derives the id of an engagement command (upsert or activity).
    public static func engagement(
        kind: CommandKind,
        destination: Destination,
        leadKey: LeadKey,
        virtualEventId: String,
        entryId: String,
        snapshotOccurredAt: Timestamp,
        sourceEventId: String
    ) -> CommandID {
        derive([
            destination.rawValue, kind.rawValue, leadKey.rawValue, virtualEventId, entryId,
            String(snapshotOccurredAt.millisecondsSinceEpoch), sourceEventId,
        ])
    }

    /// SHA-256 of the length-prefixed fields, truncated to a version-8 UUID.
    static func derive(_ fields: [String]) -> CommandID {
        var input: [UInt8] = []
        input.reserveCapacity(160)
        func append(_ field: String) {
            var length = UInt64(field.utf8.count)
            repeat {
                let byte = UInt8(length & 0x7F)
                length >>= 7
                input.append(length == 0 ? byte : byte | 0x80)
            } while length != 0
            input.append(contentsOf: field.utf8)
        }
        append("leadsync.command.v1")
        for field in fields { append(field) }
        var digest = SHA256.hash(input)
        digest[6] = digest[6] & 0x0F | 0x80  // version 8: custom
        digest[8] = digest[8] & 0x3F | 0x80  // RFC 9562 variant
        return CommandID(uncheckedRawValue: Self.uuidText(digest))
    }

    private static func uuidText(_ bytes: [UInt8]) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            for byteIndex in 0..<16 {
                if byteIndex == 4 || byteIndex == 6 || byteIndex == 8 || byteIndex == 10 {
                    buffer[index] = UInt8(ascii: "-")
                    index += 1
                }
                buffer[index] = hexDigits[Int(bytes[byteIndex] >> 4)]
                buffer[index + 1] = hexDigits[Int(bytes[byteIndex] & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Orders ids by text.
    public static func < (lhs: CommandID, rhs: CommandID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The raw value.
    public var description: String { rawValue }
}
