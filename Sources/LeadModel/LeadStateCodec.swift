// MARK: - LeadStateCodec

/// The compact, versioned binary encoding of ``LeadState``: the changelog record value and the in-memory store
/// representation.
///
/// Format version 3 (all integers LEB128 varints unless said otherwise; strings are a varint byte length and
/// UTF-8; times are varint offsets from a base time, the earliest in the state):
///
/// ```
/// u8 version (3) · flags (1 userId, 2 profile, 4 profileOccurredAt, 8 userIdOccurredAt) · base time (zigzag ms)
/// event table: count, virtualEventIds (referenced by index below)
/// timelines: count × (event index << 1 | has base, result source (0 none, 1 base, 2 + entry index),
///            [base: horizon time, u64le horizon digest, result kind (0 none, else an entry header),
///                   [result time, u64le result digest]],
///            entry count, entries × (header, time, u64le digest))
///            where an entry header is the channel status code | granular status code << 4, or 0 for an engagement
///            that meets the Participated rule, and the entries' times are each an offset from the one before
///            (the first from the base time): entries are sorted by time, then digest
/// [userId] · [userIdOccurredAt: time]
/// [profile: [time], field mask (6 bits), the present fields, custom count × (key, value) sorted]
/// engagements: count × (event index << 4 | flags (1 pending, 2 session ended, 4 digest follows, 8 digest is the
///              one of the timeline's engagement entry at this time), entry id, time,
///              [u64le digest: when flag 4: emitted, or not the digest of the pending event id, and not flag 8],
///              [pending: changed time, event id, entry name, channel id (zigzag), channel name, metrics])
/// metrics: presence mask (bit = metric raw value), then per present metric: counts zigzag; numbers as
///          zigzag(c) << 3 | k meaning c / 10^k (k 0...6, exact only), or 7 followed by the u64le IEEE bits
/// event ids: a lowercase canonical UUID as 0 + 16 bytes; anything else as (length + 1) + UTF-8
/// ```
///
/// Format version 4 is the in-memory form of a store (``encode(_:interningInto:)``): version 3's layout, except
/// that the strings many leads repeat (virtual event ids; profile first and last name, company, title, country,
/// custom keys and values; pending entry and channel names) are written as `varint(number << 1 | 1)`, a number in
/// the store's ``LeadStringTable``, or `varint(length << 1)` + UTF-8 when inline. It is not self-contained:
/// reading it takes the table, so it goes nowhere without it (the changelog carries version 3; a store's snapshot
/// file carries version 4 after the store's table).
///
/// Versions 1 (self-contained) and 2 (in-memory) are the layouts before event time: memberships
/// (`count × (event index << 4 | status, time, event id)`) where the timelines are, no userIdOccurredAt, an
/// engagement header of `event index << 3 | flags` (no flag 8) with the changed time after its time (also when
/// emitted), and a transition history
/// (`count × (event index << 7 | outcome << 4 | status, time, u64le digest)`) after the engagements. They are
/// still read: each membership becomes a timeline whose base is that status and whose horizon is the latest event
/// the history knew, so later events fold on top of it and earlier ones are beyond the
/// horizon.
///
/// Decoding rejects an unknown version, truncated input, trailing bytes and values out of range with a typed
/// ``DecodingError``. A new layout gets a new version byte, and decoding keeps reading the old ones.
public enum LeadStateCodec {
    /// The format version of the self-contained encoding this codec writes (``encode(_:)``).
    public static let currentVersion: UInt8 = 3
    /// The format version of the in-memory form, with strings numbered in a ``LeadStringTable``.
    public static let internedVersion: UInt8 = 4
    /// The self-contained layout before event time, still read.
    static let legacyVersion: UInt8 = 1
    /// The in-memory layout before event time, still read.
    static let legacyInternedVersion: UInt8 = 2

    /// Why a snapshot could not be decoded.
    public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The kind of failure.
        public enum Code: String, Sendable, Hashable {
            /// The version byte is not one this codec reads.
            case unknownVersion = "unknown_version"
            /// The bytes end before the snapshot does.
            case truncated
            /// A value is out of range, or bytes follow the snapshot.
            case corrupt
        }

        /// The kind of failure.
        public var code: Code
        /// Byte offset where it was noticed.
        public var offset: Int
        /// What was wrong.
        public var message: String

        /// `code at byte N: message`.
        public var description: String { "\(code.rawValue) lead snapshot at byte \(offset): \(message)" }
    }

    // MARK: - Encoding

    /// Encodes a state, self-contained (version 3): the changelog record value.
    public static func encode(_ state: LeadState) -> [UInt8] {
        ByteWriter.withWriter { writer in
            var spans: [SharedSpan]? = nil
            write(state, to: &writer, strings: nil, spans: &spans)
            return writer.makeArray()
        }
    }

    /// Encodes a state in a store's in-memory form (version 4), numbering its repeated strings in `strings` (which
    /// it adds to). Reading it back takes the same table: ``decode(_:strings:)``.
    public static func encode(_ state: LeadState, interningInto strings: LeadStringTable) -> [UInt8] {
        ByteWriter.withWriter { writer in
            var spans: [SharedSpan]? = nil
            write(state, to: &writer, strings: strings, spans: &spans)
            return writer.makeArray()
        }
    }

    /// Encodes a state in a store's in-memory form (version 4, as ``encode(_:interningInto:)``) and,
    /// self-contained (version 3, as ``encode(_:)``), in one pass: the fold stores the first and sends the second
    /// to the changelog. The two layouts differ only in the shared strings, so the second is the first with each
    /// of them written inline.
    public static func encodeBoth(
        _ state: LeadState,
        interningInto strings: LeadStringTable
    ) -> (interned: [UInt8], selfContained: [UInt8]) {
        var collected: [SharedSpan]? = []
        collected?.reserveCapacity(16)
        let interned = ByteWriter.withWriter { writer in
            write(state, to: &writer, strings: strings, spans: &collected)
            return writer.makeArray()
        }
        let spans = collected ?? []
        var size = interned.count
        for span in spans {
            let length = span.value.utf8.count
            size += varintSize(length) + length - (span.end - span.start)
        }
        let selfContained = [UInt8](unsafeUninitializedCapacity: size) { output, initialized in
            interned.withUnsafeBufferPointer { input in
                output[0] = currentVersion
                var written = 1
                var cursor = 1
                func copy(upTo end: Int) {
                    // Both buffers hold at least the version byte, so both have base addresses.
                    if end > cursor, let target = output.baseAddress, let source = input.baseAddress {
                        (target + written).initialize(from: source + cursor, count: end - cursor)
                    }
                    written += end - cursor
                }
                for span in spans {
                    copy(upTo: span.start)
                    var value = span.value
                    value.withUTF8 { utf8 in
                        var length = UInt(utf8.count)
                        while length >= 0x80 {
                            output[written] = UInt8(truncatingIfNeeded: length) | 0x80
                            written += 1
                            length >>= 7
                        }
                        output[written] = UInt8(length)
                        written += 1
                        if let target = output.baseAddress, let source = utf8.baseAddress {
                            (target + written).initialize(from: source, count: utf8.count)
                        }
                        written += utf8.count
                    }
                    cursor = span.end
                }
                copy(upTo: input.count)
                initialized = written
            }
        }
        return (interned, selfContained)
    }

    private static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = UInt(value) >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// Where a shared string sits in an in-memory encoding.
    private struct SharedSpan {
        var start: Int
        var end: Int
        var value: String
    }

    private static func write(
        _ state: LeadState,
        to writer: inout ByteWriter,
        strings: LeadStringTable?,
        spans: inout [SharedSpan]?
    ) {
        writer.byte(strings == nil ? currentVersion : internedVersion)
        /// A string many leads repeat: numbered in the table when there is one (version 2), else inline.
        func shared(_ value: String) {
            guard let strings else {
                writer.string(value)
                return
            }
            let start = writer.count
            defer { spans?.append(SharedSpan(start: start, end: writer.count, value: value)) }
            if let number = strings.number(for: value) {
                writer.varint(UInt64(number) << 1 | 1)
            } else {
                var value = value
                value.withUTF8 { utf8 in
                    writer.varint(UInt64(utf8.count) << 1)
                    writer.bytes(UnsafeRawBufferPointer(utf8))
                }
            }
        }

        var flags: UInt64 = 0
        if state.userId != nil { flags |= 1 }
        if state.profile != nil { flags |= 2 }
        if state.profile != nil, state.profileOccurredAt != nil { flags |= 4 }
        if state.userId != nil, state.userIdOccurredAt != nil { flags |= 8 }
        writer.varint(flags)

        var base = Int64.max
        for timeline in state.timelines {
            if let first = timeline.entries.first { base = min(base, first.occurredAt.millisecondsSinceEpoch) }
            if let timelineBase = timeline.base {
                base = min(base, timelineBase.horizon.occurredAt.millisecondsSinceEpoch)
                if let result = timelineBase.result { base = min(base, result.occurredAt.millisecondsSinceEpoch) }
            }
        }
        for record in state.engagements {
            base = min(base, record.occurredAt.millisecondsSinceEpoch)
            if case .pending(let pending) = record.activity {
                base = min(base, pending.lastChangedAt.millisecondsSinceEpoch)
            }
        }
        if let profileAt = state.profileOccurredAt { base = min(base, profileAt.millisecondsSinceEpoch) }
        if let userIdAt = state.userIdOccurredAt { base = min(base, userIdAt.millisecondsSinceEpoch) }
        if base == .max { base = 0 }
        writer.zigzag(base)
        func time(_ timestamp: Timestamp) {
            writer.varint(UInt64(bitPattern: timestamp.millisecondsSinceEpoch &- base))
        }

        var events: [String] = []
        func eventIndex(_ virtualEventId: String) -> Int {
            if let index = events.firstIndex(of: virtualEventId) { return index }
            events.append(virtualEventId)
            return events.count - 1
        }
        for timeline in state.timelines { _ = eventIndex(timeline.virtualEventId) }
        for record in state.engagements { _ = eventIndex(record.virtualEventId) }
        writer.varint(events.count)
        for event in events { shared(event) }

        writer.varint(state.timelines.count)
        for timeline in state.timelines {
            writer.varint(eventIndex(timeline.virtualEventId) << 1 | (timeline.base == nil ? 0 : 1))
            switch timeline.resultSource {
            case .none: writer.varint(0)
            case .base: writer.varint(1)
            case .entry(let index): writer.varint(2 + index)
            }
            if let timelineBase = timeline.base {
                time(timelineBase.horizon.occurredAt)
                writer.fixed64(timelineBase.horizon.eventDigest.rawValue)
                if let result = timelineBase.result {
                    writer.byte(
                        entryHeader(status: result.status, granular: result.granularStatus, isDerived: result.isDerived)
                    )
                    time(result.occurredAt)
                    writer.fixed64(result.eventDigest.rawValue)
                } else {
                    writer.byte(0xFF)
                }
            }
            writer.varint(timeline.entries.count)
            var previous = base
            for entry in timeline.entries {
                switch entry.kind {
                case .status(let status, let granular):
                    writer.byte(entryHeader(status: status, granular: granular, isDerived: false))
                case .engagement:
                    writer.byte(0)
                }
                let at = entry.occurredAt.millisecondsSinceEpoch
                writer.varint(UInt64(bitPattern: at &- previous))
                previous = at
                writer.fixed64(entry.eventDigest.rawValue)
            }
        }

        if let userId = state.userId {
            writer.string(userId)
            if let userIdAt = state.userIdOccurredAt { time(userIdAt) }
        }
        if let profile = state.profile {
            if let profileAt = state.profileOccurredAt { time(profileAt) }
            var mask: UInt64 = 0
            var bit: UInt64 = 1
            profile.forEachStandardField { _, value in
                if value != nil { mask |= bit }
                bit <<= 1
            }
            writer.varint(mask)
            var field = 0
            profile.forEachStandardField { _, value in
                // Phone numbers are one per lead: never worth a table entry.
                if let value { field == 5 ? writer.string(value) : shared(value) }
                field += 1
            }
            writer.varint(profile.custom.count)
            for (key, value) in profile.sortedCustom {
                shared(key)
                shared(value)
            }
        }

        writer.varint(state.engagements.count)
        for record in state.engagements {
            var flags = 0
            var pendingActivity: PendingActivity?
            var needsDigest = true
            if case .pending(let pending) = record.activity {
                pendingActivity = pending
                flags |= 1
                if pending.sessionEnded { flags |= 2 }
                needsDigest = EventDigest(eventId: pending.eventId) != record.eventDigest
            }
            if needsDigest {
                // The latest snapshot is usually also a timeline entry (it met the Participated rule): then the
                // entry's digest is not written twice.
                flags |=
                    timelineEngagementEntry(in: state, record.virtualEventId, at: record.occurredAt)?
                        .eventDigest == record.eventDigest ? 8 : 4
            }
            writer.varint(eventIndex(record.virtualEventId) << 4 | flags)
            writer.string(record.entryId)
            time(record.occurredAt)
            if flags & 4 != 0 { writer.fixed64(record.eventDigest.rawValue) }
            if let pending = pendingActivity {
                time(pending.lastChangedAt)
                writeEventId(pending.eventId, to: &writer)
                shared(pending.entryName)
                writer.zigzag(pending.channel.id)
                shared(pending.channel.name)
                writeMetrics(pending.metrics, to: &writer)
            }
        }
    }

    /// The one engagement entry of a virtual event's timeline at exactly `time`, if there is exactly one.
    private static func timelineEngagementEntry(
        in state: LeadState,
        _ virtualEventId: String,
        at time: Timestamp
    ) -> TimelineEntry? {
        guard let timeline = state.timelines.first(where: { $0.virtualEventId == virtualEventId }) else { return nil }
        var found: TimelineEntry?
        for entry in timeline.entries where entry.occurredAt == time && entry.kind == .engagement {
            guard found == nil else { return nil }
            found = entry
        }
        return found
    }

    /// An entry's header byte: the status code and the granular code, or 0 for a derived `Participated`.
    private static func entryHeader(status: ChannelStatus, granular: GranularStatus?, isDerived: Bool) -> UInt8 {
        isDerived ? 0 : status.rawValue | (granular?.rawValue ?? 0) << 4
    }

    private static func writeEventId(_ eventId: String, to writer: inout ByteWriter) {
        if let uuid = UUIDText.parse(eventId) {
            writer.byte(0)
            withUnsafeBytes(of: (uuid.high.bigEndian, uuid.low.bigEndian)) { writer.bytes($0) }
        } else {
            var eventId = eventId
            eventId.withUTF8 { utf8 in
                writer.varint(utf8.count + 1)
                writer.bytes(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000]

    private static func writeMetrics(_ metrics: EngagementMetrics, to writer: inout ByteWriter) {
        var mask: UInt64 = 0
        for metric in EngagementMetric.ordered where metrics[metric] != nil { mask |= 1 << UInt64(metric.rawValue) }
        writer.varint(mask)
        for metric in EngagementMetric.ordered {
            if metric.kind == .count {
                if let count = metrics.count(metric) { writer.zigzag(Int64(count)) }
                continue
            }
            guard let value = metrics[metric] else { continue }
            writeNumber(value, to: &writer)
        }
    }

    /// A double as the shortest exact scaled decimal, or its raw bits when no short form is exact.
    static func writeNumber(_ value: Double, to writer: inout ByteWriter) {
        for (exponent, power) in powersOfTen.enumerated() {
            let scaled = (value * power).rounded()
            guard abs(scaled) < 9.007_199_254_740_992e15 else { break }
            if Double(Int64(scaled)) / power == value {
                let zigzagged = UInt64(bitPattern: (Int64(scaled) << 1) ^ (Int64(scaled) >> 63))
                writer.varint(zigzagged << 3 | UInt64(exponent))
                return
            }
        }
        writer.varint(7)
        writer.fixed64(value.bitPattern)
    }

    // MARK: - Decoding

    /// Decodes a self-contained encoding (version 1).
    /// - Throws: ``DecodingError`` for an unknown version, truncated input, or malformed content (version 2, the
    ///   in-memory form, cannot be read without its table: ``decode(_:strings:)``).
    public static func decode(_ bytes: some Collection<UInt8>) throws(DecodingError) -> LeadState {
        try decode(bytes, table: nil)
    }

    /// Decodes a store's in-memory form (version 2) with its string table, or a self-contained encoding.
    /// - Throws: ``DecodingError`` for an unknown version, truncated input, malformed content, or a string number
    ///   the table does not have.
    public static func decode(
        _ bytes: some Collection<UInt8>,
        strings: LeadStringTable
    ) throws(DecodingError)
        -> LeadState
    {
        try decode(bytes, table: strings)
    }

    private static func decode(
        _ bytes: some Collection<UInt8>,
        table: LeadStringTable?
    ) throws(DecodingError)
        -> LeadState
    {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(DecodingError) in try decode(buffer: UnsafeRawBufferPointer(buffer), strings: table) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(DecodingError) in try decode(buffer: buffer, strings: table) }
        }.get()
    }

    static func decode(
        buffer: UnsafeRawBufferPointer,
        strings: LeadStringTable? = nil
    ) throws(DecodingError)
        -> LeadState
    {
        var reader = ByteReader(buffer)
        let version = try reader.byte()
        let isInterned = version == internedVersion || version == legacyInternedVersion
        guard version == currentVersion || version == legacyVersion || (isInterned && strings != nil) else {
            let supported =
                strings == nil
                ? "\(legacyVersion), \(currentVersion)"
                : "\(legacyVersion)-\(internedVersion)"
            throw DecodingError(
                code: .unknownVersion,
                offset: 0,
                message: "format version \(version) is not supported (supported: \(supported))"
            )
        }
        let interned = isInterned
        let isLegacy = version == legacyVersion || version == legacyInternedVersion
        /// A string many leads repeat: numbered or inline in the in-memory versions, inline in the others.
        func shared() throws(DecodingError) -> String {
            guard interned, let strings else { return try reader.string() }
            let header = try reader.varint()
            if header & 1 == 1 {
                guard let string = strings.string(numbered: header >> 1) else {
                    throw reader.corrupt("string number \(header >> 1) is not in the table")
                }
                return string
            }
            let length = header >> 1
            guard length <= UInt64(reader.bytes.count - reader.position) else {
                throw DecodingError(code: .truncated, offset: reader.position, message: "the snapshot ends too early")
            }
            let raw = try reader.raw(Int(length))
            guard JSONReader.isValidUTF8(raw) else { throw reader.corrupt("a string is not valid UTF-8") }
            return String(decoding: raw, as: UTF8.self)
        }
        let flags = try reader.varint()
        guard flags & ~(isLegacy ? 7 : 15) == 0 else { throw reader.corrupt("unknown flags \(flags)") }
        let base = try reader.zigzag()
        func time() throws(DecodingError) -> Timestamp {
            Timestamp(millisecondsSinceEpoch: base &+ Int64(bitPattern: try reader.varint()))
        }

        let eventCount = try reader.count()
        var events: [String] = []
        events.reserveCapacity(eventCount)
        for _ in 0..<eventCount { events.append(try shared()) }
        func event(_ index: UInt64) throws(DecodingError) -> String {
            guard index < UInt64(events.count) else { throw reader.corrupt("event index \(index) is out of range") }
            return events[Int(index)]
        }
        func status(_ code: UInt64) throws(DecodingError) -> ChannelStatus {
            guard let status = ChannelStatus(rawValue: UInt8(code)) else {
                throw reader.corrupt("unknown status \(code)")
            }
            return status
        }

        func entryKind(_ header: UInt8) throws(DecodingError) -> TimelineEntry.Kind {
            if header == 0 { return .engagement }
            let granularCode = header >> 4
            guard let granular = granularCode == 0 ? nil : GranularStatus(rawValue: granularCode) else {
                if granularCode == 0 { return .status(try status(UInt64(header & 0xF)), granular: nil) }
                throw reader.corrupt("unknown granular status \(granularCode)")
            }
            return .status(try status(UInt64(header & 0xF)), granular: granular)
        }

        var state = LeadState()
        var legacyMemberships: [Membership] = []
        if isLegacy {
            let membershipCount = try reader.count()
            for _ in 0..<membershipCount {
                let header = try reader.varint()
                legacyMemberships.append(
                    Membership(
                        virtualEventId: try event(header >> 4),
                        status: try status(header & 0xF),
                        occurredAt: try time(),
                        eventDigest: EventDigest(eventId: try readEventId(&reader))
                    )
                )
            }
        } else {
            let timelineCount = try reader.count()
            state.timelines.reserveCapacity(timelineCount + 1)  // room for the fold's next virtual event
            for _ in 0..<timelineCount {
                let header = try reader.varint()
                let virtualEventId = try event(header >> 1)
                let sourceCode = try reader.varint()
                var timelineBase: TimelineBase?
                if header & 1 != 0 {
                    let horizon = TimelineKey(
                        occurredAt: try time(),
                        eventDigest: EventDigest(rawValue: try reader.fixed64())
                    )
                    let resultHeader = try reader.byte()
                    var result: TimelineResult?
                    if resultHeader != 0xFF {
                        let kind = try entryKind(resultHeader)
                        result =
                            TimelineEntry(
                                occurredAt: try time(),
                                eventDigest: EventDigest(rawValue: try reader.fixed64()),
                                kind: kind
                            ).result
                    }
                    timelineBase = TimelineBase(result: result, horizon: horizon)
                }
                let entryCount = try reader.count()
                var entries: [TimelineEntry] = []
                entries.reserveCapacity(entryCount + 1)
                var previous = base
                for _ in 0..<entryCount {
                    let kind = try entryKind(try reader.byte())
                    let at = previous &+ Int64(bitPattern: try reader.varint())
                    previous = at
                    let entry = TimelineEntry(
                        occurredAt: Timestamp(millisecondsSinceEpoch: at),
                        eventDigest: EventDigest(rawValue: try reader.fixed64()),
                        kind: kind
                    )
                    if let last = entries.last, !(last.key < entry.key) {
                        throw reader.corrupt("timeline entries of \(virtualEventId) are not in event-time order")
                    }
                    if let timelineBase, !(timelineBase.horizon < entry.key) {
                        throw reader.corrupt("a timeline entry of \(virtualEventId) lies before its horizon")
                    }
                    entries.append(entry)
                }
                let source: StatusTimeline.ResultSource
                switch sourceCode {
                case 0: source = .none
                case 1 where timelineBase?.result != nil: source = .base
                case let code where code >= 2 && code - 2 < UInt64(entries.count): source = .entry(Int(code - 2))
                default: throw reader.corrupt("result source \(sourceCode) of \(virtualEventId) is out of range")
                }
                state.timelines.append(
                    StatusTimeline(
                        virtualEventId: virtualEventId,
                        base: timelineBase,
                        entries: entries,
                        resultSource: source
                    )
                )
            }
        }

        if flags & 1 != 0 {
            state.userId = try reader.string()
            if flags & 8 != 0 { state.userIdOccurredAt = try time() }
        }
        if flags & 2 != 0 {
            if flags & 4 != 0 { state.profileOccurredAt = try time() }
            let mask = try reader.varint()
            guard mask < 1 << 6 else { throw reader.corrupt("unknown profile fields \(mask)") }
            func field(_ bit: UInt64) throws(DecodingError) -> String? {
                guard mask & (1 << bit) != 0 else { return nil }
                return bit == 5 ? try reader.string() : try shared()
            }
            var profile = LeadProfile(
                firstName: try field(0),
                lastName: try field(1),
                company: try field(2),
                title: try field(3),
                country: try field(4),
                phone: try field(5)
            )
            let customCount = try reader.count()
            for _ in 0..<customCount {
                let key = try shared()
                profile.custom[key] = try shared()
            }
            state.profile = profile
        }

        let engagementCount = try reader.count()
        state.engagements.reserveCapacity(engagementCount + 1)
        for _ in 0..<engagementCount {
            let header = try reader.varint()
            let flagBits: UInt64 = isLegacy ? 3 : 4
            let flags = header & (1 << flagBits - 1)
            let virtualEventId = try event(header >> flagBits)
            let entryId = try reader.string()
            let occurredAt = try time()
            let legacyChangedAt = isLegacy ? try time() : nil
            var storedDigest = flags & 4 != 0 ? EventDigest(rawValue: try reader.fixed64()) : nil
            if flags & 8 != 0 {
                guard flags & 4 == 0,
                    let entry = timelineEngagementEntry(in: state, virtualEventId, at: occurredAt)
                else { throw reader.corrupt("no timeline entry carries the digest of \(virtualEventId)/\(entryId)") }
                storedDigest = entry.eventDigest
            }
            let activity: ActivityProgress
            let digest: EventDigest
            if flags & 1 != 0 {
                let lastChangedAt: Timestamp
                if let legacyChangedAt { lastChangedAt = legacyChangedAt } else { lastChangedAt = try time() }
                let pending = PendingActivity(
                    lastChangedAt: lastChangedAt,
                    eventId: try readEventId(&reader),
                    entryName: try shared(),
                    channel: EngagementChannel(id: try reader.zigzag(), name: try shared()),
                    sessionEnded: flags & 2 != 0,
                    metrics: try readMetrics(&reader)
                )
                activity = .pending(pending)
                digest = storedDigest ?? EventDigest(eventId: pending.eventId)
            } else {
                guard flags == 4 || flags == 8, let storedDigest else {
                    throw reader.corrupt("unknown engagement flags \(flags)")
                }
                activity = .emitted
                digest = storedDigest
            }
            state.engagements.append(
                EngagementRecord(
                    virtualEventId: virtualEventId,
                    entryId: entryId,
                    occurredAt: occurredAt,
                    eventDigest: digest,
                    activity: activity
                )
            )
        }

        if isLegacy {
            let historyCount = try reader.count()
            var horizons: [String: TimelineKey] = [:]
            var derived: Set<EventDigest> = []
            for _ in 0..<historyCount {
                let header = try reader.varint()
                let virtualEventId = try event(header >> 7)
                _ = try status(header & 0xF)
                let outcomeCode = UInt8(header >> 4 & 7)
                guard outcomeCode <= 1 || TransitionRejection.Reason(rawValue: outcomeCode - 1) != nil else {
                    throw reader.corrupt("unknown transition outcome \(outcomeCode)")
                }
                let key = TimelineKey(occurredAt: try time(), eventDigest: EventDigest(rawValue: try reader.fixed64()))
                if outcomeCode == 1 { derived.insert(key.eventDigest) }
                if horizons[virtualEventId].map({ $0 < key }) ?? true { horizons[virtualEventId] = key }
            }
            state.timelines = timelines(fromLegacy: legacyMemberships, horizons: horizons, derived: derived)
        }
        guard reader.isAtEnd else { throw reader.corrupt("unexpected bytes after the snapshot") }
        return state
    }

    /// Versions 1 and 2: each membership becomes a timeline whose base is that status, with the latest event the
    /// history knew (or the membership's own) as the horizon.
    private static func timelines(
        fromLegacy memberships: [Membership],
        horizons: [String: TimelineKey],
        derived: Set<EventDigest>
    ) -> [StatusTimeline] {
        memberships.map { membership in
            let own = TimelineKey(occurredAt: membership.occurredAt, eventDigest: membership.eventDigest)
            let horizon = horizons[membership.virtualEventId].map { max($0, own) } ?? own
            let result = TimelineResult(
                status: membership.status,
                occurredAt: membership.occurredAt,
                eventDigest: membership.eventDigest,
                isDerived: membership.status == .participated && derived.contains(membership.eventDigest)
            )
            return StatusTimeline(
                virtualEventId: membership.virtualEventId,
                base: TimelineBase(result: result, horizon: horizon),
                resultSource: .base
            )
        }
    }

    private static func readEventId(_ reader: inout ByteReader) throws(DecodingError) -> String {
        let header = try reader.varint()
        if header > 0 {
            guard header - 1 <= UInt64(reader.bytes.count - reader.position) else {
                throw LeadStateCodec.DecodingError(
                    code: .truncated,
                    offset: reader.position,
                    message: "the snapshot ends too early"
                )
            }
            let raw = try reader.raw(Int(header - 1))
            guard JSONReader.isValidUTF8(raw) else { throw reader.corrupt("an event id is not valid UTF-8") }
            return String(decoding: raw, as: UTF8.self)
        }
        return UUIDText.format(try reader.raw(16))
    }

    private static func readMetrics(_ reader: inout ByteReader) throws(DecodingError) -> EngagementMetrics {
        let mask = try reader.varint()
        guard mask < 1 << UInt64(EngagementMetric.count) else {
            throw reader.corrupt("unknown metrics \(mask)")
        }
        var metrics = EngagementMetrics()
        for metric in EngagementMetric.ordered where mask & (1 << UInt64(metric.rawValue)) != 0 {
            if metric.kind == .count {
                let count = try reader.zigzag()
                metrics.setCount(metric, Int(count))
            } else {
                metrics.setNumber(metric, try readNumber(&reader))
            }
        }
        return metrics
    }

    static func readNumber(_ reader: inout ByteReader) throws(DecodingError) -> Double {
        let header = try reader.varint()
        let exponent = Int(header & 7)
        if exponent == 7 {
            guard header == 7 else { throw reader.corrupt("malformed number header \(header)") }
            return Double(bitPattern: try reader.fixed64())
        }
        let zigzagged = header >> 3
        let scaled = Int64(bitPattern: zigzagged >> 1) ^ -Int64(bitPattern: zigzagged & 1)
        return Double(scaled) / powersOfTen[exponent]
    }
}
