// MARK: - CommandCodec

/// JSON encoding of ``Command``: the value of records on `marketo.commands` and `salesforce.commands`.
///
/// The field names are the writers' contract, documented by `topics/schemas/command.<kind>.v1.json`:
/// `version` (1), `commandId`, `kind`, `destination`, `tenant`, `leadKey`, `email`, `userId`?, `profile`?
/// (docs/events.md's shape), `virtualEventId`, `programId` (Marketo) or `campaignId` (Salesforce), `occurredAt`
/// (RFC 3339 UTC, milliseconds), `sourceEventId`; for `memberStatus`: `status`, `step`, `success`,
/// `previousStatus`?, `granularStatus`?, `derived`; for `engagementUpsert` / `engagementActivity`: `entry`
/// {`id`, `name`}, `channel` {`id`, `name`}, `sessionEnded`, `metrics` (docs/events.md's names; unknown metrics are
/// omitted, never written as 0). Encoding is deterministic: equal commands give equal bytes.
public enum CommandCodec {
    /// The command JSON version written in `version`.
    public static let version = 1

    /// Why command JSON could not be decoded.
    public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The field at fault, when one is.
        public var field: String?
        /// What was wrong.
        public var message: String

        /// The message.
        public var description: String { message }
    }

    // MARK: - Encoding

    /// Encodes a command as compact UTF-8 JSON.
    public static func encode(_ command: Command) -> [UInt8] {
        JSONWriter.withWriter { writer in
            write(command, to: &writer)
            return writer.makeArray()
        }
    }

    private static func write(_ command: Command, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("version", Int64(version))
        writer.field("commandId", command.commandId.rawValue)
        writer.field("kind", command.kind.rawValue)
        writer.field("destination", command.destination.rawValue)
        writer.field("tenant", command.tenant)
        writer.field("leadKey", command.leadKey.rawValue)
        writer.field("email", command.email)
        writer.field("userId", command.userId)
        if let profile = command.profile {
            writer.key("profile")
            writeProfile(profile, to: &writer)
        }
        writer.field("virtualEventId", command.virtualEventId)
        switch command.target {
        case .marketo(let programId): writer.field("programId", Int64(programId))
        case .salesforce(let campaignId): writer.field("campaignId", campaignId)
        }
        writer.field("occurredAt", command.occurredAt)
        writer.field("sourceEventId", command.sourceEventId)
        switch command.payload {
        case .memberStatus(let change):
            writer.field("status", change.status.name)
            writer.field("step", Int64(change.status.step))
            writer.field("success", change.status.isSuccess)
            writer.field("previousStatus", change.previousStatus?.name)
            writer.field("granularStatus", change.granularStatus?.name)
            writer.field("derived", change.isDerived)
        case .engagementUpsert(let snapshot), .engagementActivity(let snapshot):
            writer.key("entry")
            writer.beginObject()
            writer.field("id", snapshot.entry.id)
            writer.field("name", snapshot.entry.name)
            writer.endObject()
            writer.key("channel")
            writer.beginObject()
            writer.field("id", snapshot.channel.id)
            writer.field("name", snapshot.channel.name)
            writer.endObject()
            writer.field("sessionEnded", snapshot.sessionEnded)
            writer.key("metrics")
            writer.beginObject()
            for metric in EngagementMetric.ordered {
                if let count = snapshot.metrics.count(metric) {
                    writer.field(metric.staticKey, Int64(count))
                } else if let value = snapshot.metrics.number(metric) {
                    writer.key(metric.staticKey)
                    writer.number(value)
                }
            }
            writer.endObject()
        }
        writer.endObject()
    }

    private static func writeProfile(_ profile: LeadProfile, to writer: inout JSONWriter) {
        writer.beginObject()
        profile.forEachStandardField { name, value in writer.field(name, value) }
        writer.key("custom")
        writer.beginObject()
        for (key, value) in profile.sortedCustom {
            writer.key(key)
            writer.string(value)
        }
        writer.endObject()
        writer.endObject()
    }

    // MARK: - Decoding

    /// Decodes command JSON (unknown fields are ignored).
    /// - Throws: ``DecodingError`` naming the field that is missing or wrong.
    public static func decode(_ bytes: some Collection<UInt8>) throws(DecodingError) -> Command {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(DecodingError) in try decode(buffer: UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(DecodingError) in try decode(buffer: buffer) }
        }.get()
    }

    private struct Fields {
        var strings: [String: String] = [:]
        var integers: [String: Int64] = [:]
        var booleans: [String: Bool] = [:]
        var profile: LeadProfile?
        var entry: EngagementEntry?
        var channel: EngagementChannel?
        var metrics: EngagementMetrics?
    }

    private static let stringFields: Set<String> = [
        "commandId", "kind", "destination", "tenant", "leadKey", "email", "userId", "virtualEventId", "campaignId",
        "occurredAt", "sourceEventId", "status", "previousStatus", "granularStatus",
    ]

    static func decode(buffer: UnsafeRawBufferPointer) throws(DecodingError) -> Command {
        var fields = Fields()
        var reader = JSONReader(buffer)
        do {
            try reader.beginObject()
            var isFirst = true
            while let keyToken = try reader.nextKey(isFirst: isFirst) {
                isFirst = false
                let key = try reader.string(keyToken)
                switch key {
                case _ where stringFields.contains(key):
                    fields.strings[key] = try value(EventFields.readString(key, &reader))
                case "version", "programId", "step":
                    fields.integers[key] = try value(EventFields.readInteger(key, &reader))
                case "sessionEnded", "derived", "success":
                    fields.booleans[key] = try value(EventFields.readBool(key, &reader))
                case "profile":
                    fields.profile = try value(EventFields.readProfile(&reader))
                case "entry":
                    fields.entry = try value(EventFields.readEntry(&reader))
                case "channel":
                    fields.channel = try value(EventFields.readChannel(&reader))
                case "metrics":
                    fields.metrics = try value(EventFields.readMetrics(&reader))
                default:
                    try reader.skipValue()
                }
            }
            try reader.finish()
        } catch let error as JSONReaderError {
            throw DecodingError(field: nil, message: error.description)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError(field: nil, message: "\(error)")
        }
        return try build(fields)
    }

    /// The value of a slot; its problem becomes a decoding error.
    private static func value<Value>(_ slot: EventFieldSlot<Value>) throws(DecodingError) -> Value? {
        switch slot {
        case .absent: return nil
        case .present(let value): return value
        case .invalid(let rejection): throw DecodingError(field: rejection.field, message: rejection.message)
        }
    }

    private static func build(_ fields: Fields) throws(DecodingError) -> Command {
        func required(_ name: String) throws(DecodingError) -> String {
            guard let value = fields.strings[name] else {
                throw DecodingError(field: name, message: "required field '\(name)' is missing")
            }
            return value
        }
        func invalid(_ name: String, _ problem: String) -> DecodingError {
            DecodingError(field: name, message: "field '\(name)' \(problem)")
        }

        guard let version = fields.integers["version"] else {
            throw DecodingError(field: "version", message: "required field 'version' is missing")
        }
        guard version == Int64(Self.version) else { throw invalid("version", "is \(version), expected 1") }
        guard let commandId = CommandID(rawValue: try required("commandId")) else {
            throw invalid("commandId", "must not be empty")
        }
        let kindName = try required("kind")
        guard let kind = CommandKind(rawValue: kindName) else { throw invalid("kind", "'\(kindName)' is unknown") }
        let destinationName = try required("destination")
        guard let destination = Destination(rawValue: destinationName) else {
            throw invalid("destination", "'\(destinationName)' is unknown")
        }
        let tenant = try required("tenant")
        let email = try required("email")
        guard let leadKey = LeadKey(tenant: tenant, email: email) else {
            throw invalid("email", "and 'tenant' do not form a valid lead key")
        }
        let target: CommandTarget
        switch destination {
        case .marketo:
            guard let programId = fields.integers["programId"], let id = Int(exactly: programId) else {
                throw DecodingError(field: "programId", message: "required field 'programId' is missing")
            }
            target = .marketo(programId: id)
        case .salesforce:
            target = .salesforce(campaignId: try required("campaignId"))
        }
        let occurredAtText = try required("occurredAt")
        guard let occurredAt = Timestamp(rfc3339: occurredAtText) else {
            throw invalid("occurredAt", "'\(occurredAtText)' is not an RFC 3339 date-time")
        }

        let payload: CommandPayload
        switch kind {
        case .memberStatus:
            let statusName = try required("status")
            guard let status = ChannelStatus(name: statusName) else {
                throw invalid("status", "'\(statusName)' is not a channel status")
            }
            var previous: ChannelStatus?
            if let name = fields.strings["previousStatus"] {
                guard let status = ChannelStatus(name: name) else {
                    throw invalid("previousStatus", "'\(name)' is not a channel status")
                }
                previous = status
            }
            var granular: GranularStatus?
            if let name = fields.strings["granularStatus"] {
                guard let status = GranularStatus(name: name) else {
                    throw invalid("granularStatus", "'\(name)' is not a granular status")
                }
                granular = status
            }
            payload = .memberStatus(
                MemberStatusChange(
                    status: status,
                    previousStatus: previous,
                    granularStatus: granular,
                    isDerived: fields.booleans["derived"] ?? false
                )
            )
        case .engagementUpsert, .engagementActivity:
            guard let entry = fields.entry else {
                throw DecodingError(field: "entry", message: "required field 'entry' is missing")
            }
            let snapshot = EngagementSnapshot(
                entry: entry,
                channel: fields.channel ?? .unknown,
                metrics: fields.metrics ?? EngagementMetrics(),
                sessionEnded: fields.booleans["sessionEnded"] ?? false
            )
            payload = kind == .engagementUpsert ? .engagementUpsert(snapshot) : .engagementActivity(snapshot)
        }
        return Command(
            commandId: commandId,
            target: target,
            leadKey: leadKey,
            userId: fields.strings["userId"],
            profile: fields.profile,
            virtualEventId: try required("virtualEventId"),
            occurredAt: occurredAt,
            sourceEventId: try required("sourceEventId"),
            payload: payload
        )
    }
}
