// MARK: - CommandID

/// A command's deterministic id, formatted like a UUID (version 8, RFC 9562 variant).
///
/// SHA-256 is taken over a canonical encoding of everything but the destination, and the destination picks a
/// half of the digest: Marketo the first 128 bits, Salesforce the last 128; then the version and variant bits are
/// set. So one hash serves the commands of both destinations for the same fact, and the two ids still differ.
///
/// The encoding is a sequence of fields, each a LEB128 byte length followed by the bytes: the format tag `lsc2`;
/// the kind code (`s` memberStatus, `u` engagementUpsert, `a` engagementActivity); the lead key (`tenant/email`);
/// the virtualEventId; then the status name for `memberStatus`, or the entry id and the snapshot's `occurredAt`
/// (milliseconds, 8 bytes big-endian two's complement) for engagement kinds; and last the source event id (all
/// text UTF-8). The one-letter codes keep a typical input within two SHA-256 blocks. Equal inputs give equal ids in
/// every process and run, so a replay re-emits the same ids and writers can recognise repeats; changing this
/// encoding changes every id, so it needs a new tag.
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
        memberStatusDigest(
            leadKey: leadKey,
            virtualEventId: virtualEventId,
            status: status,
            sourceEventId: sourceEventId
        ).id(for: destination)
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
        engagementDigest(
            kind: kind,
            leadKey: leadKey,
            virtualEventId: virtualEventId,
            entryId: entryId,
            snapshotOccurredAt: snapshotOccurredAt,
            sourceEventId: sourceEventId
        ).id(for: destination)
    }

    /// The digest behind both destinations' ids of a member status fact.
    static func memberStatusDigest(
        leadKey: LeadKey,
        virtualEventId: String,
        status: ChannelStatus,
        sourceEventId: String
    ) -> Digest {
        CanonicalInput.withInput { input in
            input.append(code: CommandKind.memberStatus.canonicalCode)
            input.append(leadKey)
            input.append(virtualEventId)
            input.append(status.name)
            input.append(sourceEventId)
            return input.digest()
        }
    }

    /// The digest behind both destinations' ids of an engagement fact.
    static func engagementDigest(
        kind: CommandKind,
        leadKey: LeadKey,
        virtualEventId: String,
        entryId: String,
        snapshotOccurredAt: Timestamp,
        sourceEventId: String
    ) -> Digest {
        CanonicalInput.withInput { input in
            input.append(code: kind.canonicalCode)
            input.append(leadKey)
            input.append(virtualEventId)
            input.append(entryId)
            input.append(bigEndian: snapshotOccurredAt.millisecondsSinceEpoch)
            input.append(sourceEventId)
            return input.digest()
        }
    }

    /// A SHA-256 digest as its eight state words; each destination's id is formatted from its half on demand.
    struct Digest {
        let words: SHA256.State

        /// The id of `destination`: the first half for Marketo, the second for Salesforce.
        func id(for destination: Destination) -> CommandID {
            let half =
                switch destination {
                case .marketo: (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
                case .salesforce: (words.4.bigEndian, words.5.bigEndian, words.6.bigEndian, words.7.bigEndian)
                }
            var bytes = half
            return withUnsafeMutableBytes(of: &bytes) { digest in
                digest[6] = digest[6] & 0x0F | 0x80  // version 8: custom
                digest[8] = digest[8] & 0x3F | 0x80  // RFC 9562 variant
                return CommandID(uncheckedRawValue: UUIDText.format(UnsafeRawBufferPointer(digest)))
            }
        }
    }

    /// The canonical bytes: the format tag, then each field as a LEB128 byte length and its UTF-8. Built in a
    /// stack buffer (inputs longer than it spill to an array) and hashed without allocating.
    private struct CanonicalInput: ~Copyable {
        private static let inlineCapacity = 256
        private let inline: UnsafeMutableRawBufferPointer
        private var spilled: [UInt8]?
        private var count = 0

        init(buffer: UnsafeMutableRawBufferPointer) {
            inline = buffer
            append("lsc2")
        }

        static func withInput<Result>(_ body: (inout CanonicalInput) -> Result) -> Result {
            withUnsafeTemporaryAllocation(byteCount: inlineCapacity, alignment: 8) { buffer in
                var input = CanonicalInput(buffer: buffer)
                return body(&input)
            }
        }

        private mutating func appendByte(_ byte: UInt8) {
            if spilled == nil, count < inline.count {
                inline[count] = byte
            } else {
                if spilled == nil { spilled = Array(inline[0..<count]) }
                spilled?.append(byte)
            }
            count += 1
        }

        private mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
            if spilled == nil, count + bytes.count <= inline.count {
                UnsafeMutableRawBufferPointer(rebasing: inline[count..<(count + bytes.count)]).copyMemory(
                    from: UnsafeRawBufferPointer(bytes)
                )
                count += bytes.count
            } else {
                for byte in bytes { appendByte(byte) }
            }
        }

        private mutating func appendLength(_ length: Int) {
            var length = UInt64(length)
            repeat {
                let byte = UInt8(length & 0x7F)
                length >>= 7
                appendByte(length == 0 ? byte : byte | 0x80)
            } while length != 0
        }

        private mutating func appendUTF8(_ text: String) {
            var text = text
            text.withUTF8 { appendBytes($0) }
        }

        mutating func append(_ field: String) {
            appendLength(field.utf8.count)
            appendUTF8(field)
        }

        /// A one-letter code.
        mutating func append(code: UInt8) {
            appendByte(1)
            appendByte(code)
        }

        /// An 8-byte big-endian integer.
        mutating func append(bigEndian value: Int64) {
            appendByte(8)
            for shift in stride(from: 56, through: 0, by: -8) {
                appendByte(UInt8(truncatingIfNeeded: value >> Int64(shift)))
            }
        }

        /// The key's raw value `tenant/email`, without building that string.
        mutating func append(_ key: LeadKey) {
            appendLength(key.tenant.utf8.count + 1 + key.email.utf8.count)
            appendUTF8(key.tenant)
            appendByte(UInt8(ascii: "/"))
            appendUTF8(key.email)
        }

        func digest() -> Digest {
            let words =
                if let spilled {
                    spilled.withUnsafeBytes { SHA256.hashState($0) }
                } else {
                    SHA256.hashState(UnsafeRawBufferPointer(rebasing: inline[0..<count]))
                }
            return Digest(words: words)
        }
    }

    /// Orders ids by text.
    public static func < (lhs: CommandID, rhs: CommandID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The raw value.
    public var description: String { rawValue }
}
