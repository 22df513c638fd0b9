// MARK: - InputEventDecoder

/// Decodes input records (the input contract, docs/events.md, version 1) from UTF-8 JSON bytes, validating
/// everything the contract can check without configuration: exactly what the JSON Schemas of `topics/schemas/`
/// accept (a test checks both against the same records).
///
/// It is a hand-written single-pass reader (no `JSONDecoder`), because the fold calls it for every record. Unknown
/// fields are skipped (but must still be valid JSON). `null` is refused as the schemas refuse it: a required field
/// that is `null` is missing (`missing_field`), an optional one (`userId`, `profile` and its fields, `channel`,
/// `sessionEnded`, `metrics` and each metric, `entry.name`) is `invalid_field`; leave a field out when it has no
/// value. Fields of the other event type are not read, so their nulls do not matter. When a record has several problems
/// the one reported is the first of: JSON syntax, `type`, `version`, then the fields in contract order (`eventId`,
/// `tenant`, `occurredAt`, `virtualEventId`, `email`, `userId`, then `status` and `profile`, or `entry`, `channel`,
/// `sessionEnded` and `metrics`). Fields of the other event type are ignored like unknown ones.
///
/// Tenant configuration (unknown tenant, unmapped event) is checked separately by ``TenantDirectory``.
public struct InputEventDecoder: Sendable {
    /// The `version` this decoder reads.
    public static let supportedVersion = 1

    /// Creates a decoder.
    public init() {}

    /// Decodes one record.
    /// - Parameter bytes: the Kafka record value.
    /// - Throws: ``EventRejection`` with one of `not_json`, `missing_field`, `invalid_field`, `unknown_type`,
    ///   `unknown_version`, `invalid_date`, `invalid_email`, `unknown_status`.
    public func decode(_ bytes: some Collection<UInt8>) throws(EventRejection) -> InputEvent {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            decodeResult(UnsafeRawBufferPointer(buffer))
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBytes { decodeResult($0) }.get()
    }

    private func decodeResult(_ buffer: UnsafeRawBufferPointer) -> Result<InputEvent, EventRejection> {
        Result { () throws(EventRejection) in try decode(buffer: buffer) }
    }

    /// Decodes one record from raw bytes.
    func decode(buffer: UnsafeRawBufferPointer) throws(EventRejection) -> InputEvent {
        var fields = EventFields()
        var reader = JSONReader(buffer)
        do {
            let kind = try reader.peekKind()
            guard kind == .object else {
                // Syntax first: "not json" must say where the JSON breaks, not that it is "null".
                try reader.skipValue()
                try reader.finish()
                throw EventRejection.notJSON("the record is \(kind), not a JSON object")
            }
            try reader.beginObject()
            var isFirst = true
            while let key = try reader.nextKey(isFirst: isFirst) {
                isFirst = false
                try fields.read(key, from: &reader)
            }
            try reader.finish()
        } catch let error as JSONReaderError {
            throw EventRejection.notJSON(error.description)
        } catch let rejection as EventRejection {
            throw rejection
        } catch {
            throw EventRejection.notJSON("\(error)")
        }
        return try fields.build()
    }
}

// MARK: - Field collection

/// A field seen while reading: absent, a value, or a problem reported only if the field turns out to matter.
enum EventFieldSlot<Value> {
    case absent
    case present(Value)
    /// Indirect: a rejection is large and rare, and the decoder moves many slots per record.
    indirect case invalid(EventRejection)

    /// The value of a required field.
    func required(_ name: String) throws(EventRejection) -> Value {
        switch self {
        case .absent: throw EventRejection.missingField(name)
        case .present(let value): return value
        case .invalid(let rejection): throw rejection
        }
    }

    /// The value of an optional field; `nil` when it is left out.
    func optional() throws(EventRejection) -> Value? {
        switch self {
        case .absent: return nil
        case .present(let value): return value
        case .invalid(let rejection): throw rejection
        }
    }

}

/// What a reader makes of a `null`. The input decoder refuses nulls as the input schemas do; the command codec,
/// which shares the readers, reads them as absent (the default).
enum NullPolicy {
    /// `null` is the field left out.
    case absent
    /// `null` in a required field: the field is missing (`missing_field`).
    case missing
    /// `null` in an optional field: `invalid_field` (leave the field out instead).
    case refused

    /// The slot of a `null` under this policy.
    func slot<Value>(_ field: @autoclosure () -> String) -> EventFieldSlot<Value> {
        switch self {
        case .absent: .absent
        case .missing: .invalid(EventRejection.missingField(field()))
        case .refused:
            .invalid(EventRejection.invalidField(field(), "is null; leave the field out when it has no value"))
        }
    }

    /// The policy for the fields inside an object read under this one (`.absent` stays `.absent`).
    var nested: NullPolicy { self == .absent ? .absent : .refused }
}

/// Everything the decoder collects in its single pass, before it knows the event type.
struct EventFields {
    var type: EventFieldSlot<String> = .absent
    var version: EventFieldSlot<Int64> = .absent
    var eventId: EventFieldSlot<String> = .absent
    var tenant: EventFieldSlot<String> = .absent
    var occurredAt: EventFieldSlot<Timestamp> = .absent
    var virtualEventId: EventFieldSlot<String> = .absent
    var email: EventFieldSlot<String> = .absent
    var userId: EventFieldSlot<String> = .absent
    var status: EventFieldSlot<ReportedStatus> = .absent
    var profile: EventFieldSlot<LeadProfile> = .absent
    var entry: EventFieldSlot<EngagementEntry> = .absent
    var channel: EventFieldSlot<EngagementChannel> = .absent
    var sessionEnded: EventFieldSlot<Bool> = .absent
    var metrics: EventFieldSlot<EngagementMetrics> = .absent

    /// The top-level fields the decoder reads.
    enum TopLevelField {
        case type, version, eventId, tenant, occurredAt, virtualEventId, email, userId, status, profile
        case entry, channel, sessionEnded, metrics

        /// The field a key names, dispatched on the key's length first so most keys need one comparison.
        static func named(_ key: JSONStringToken, in reader: JSONReader) -> TopLevelField? {
            guard !key.hasEscapes else {
                // Rare: compare the decoded key.
                guard let name = try? reader.string(key) else { return nil }
                return all.first { $0.name == name }
            }
            switch key.end - key.start {
            case 4: return reader.matches(key, "type") ? .type : nil
            case 5:
                if reader.matches(key, "email") { return .email }
                return reader.matches(key, "entry") ? .entry : nil
            case 6:
                if reader.matches(key, "tenant") { return .tenant }
                if reader.matches(key, "status") { return .status }
                return reader.matches(key, "userId") ? .userId : nil
            case 7:
                if reader.matches(key, "eventId") { return .eventId }
                if reader.matches(key, "version") { return .version }
                if reader.matches(key, "profile") { return .profile }
                if reader.matches(key, "metrics") { return .metrics }
                return reader.matches(key, "channel") ? .channel : nil
            case 10: return reader.matches(key, "occurredAt") ? .occurredAt : nil
            case 12: return reader.matches(key, "sessionEnded") ? .sessionEnded : nil
            case 14: return reader.matches(key, "virtualEventId") ? .virtualEventId : nil
            default: return nil
            }
        }

        static let all: [TopLevelField] = [
            .type, .version, .eventId, .tenant, .occurredAt, .virtualEventId, .email, .userId, .status, .profile,
            .entry, .channel, .sessionEnded, .metrics,
        ]

        var name: String {
            switch self {
            case .type: "type"
            case .version: "version"
            case .eventId: "eventId"
            case .tenant: "tenant"
            case .occurredAt: "occurredAt"
            case .virtualEventId: "virtualEventId"
            case .email: "email"
            case .userId: "userId"
            case .status: "status"
            case .profile: "profile"
            case .entry: "entry"
            case .channel: "channel"
            case .sessionEnded: "sessionEnded"
            case .metrics: "metrics"
            }
        }
    }

    /// Reads the value of a top-level key into its slot, or skips it.
    mutating func read(_ key: JSONStringToken, from reader: inout JSONReader) throws(JSONReaderError) {
        guard let field = TopLevelField.named(key, in: reader) else {
            try reader.skipValue()
            return
        }
        switch field {
        // Required fields: null is missing. Optional ones: null is refused. (A field of the other event type is
        // never consulted, so its slot's problem never shows.)
        case .type: type = try Self.readString("type", &reader, nulls: .missing)
        case .version: version = try Self.readInteger("version", &reader, nulls: .missing)
        case .eventId: eventId = try Self.readNonEmptyString("eventId", &reader, nulls: .missing)
        case .tenant: tenant = try Self.readTenant(&reader, nulls: .missing)
        case .occurredAt: occurredAt = try Self.readTimestamp("occurredAt", &reader, nulls: .missing)
        case .virtualEventId: virtualEventId = try Self.readNonEmptyString("virtualEventId", &reader, nulls: .missing)
        case .email: email = try Self.readEmail(&reader, nulls: .missing)
        case .userId: userId = try Self.readString("userId", &reader, nulls: .refused)
        case .status: status = try Self.readStatus(&reader, nulls: .missing)
        case .profile: profile = try Self.readProfile(&reader, nulls: .refused)
        case .entry: entry = try Self.readEntry(&reader, nulls: .missing)
        case .channel: channel = try Self.readChannel(&reader, nulls: .refused)
        case .sessionEnded: sessionEnded = try Self.readBool("sessionEnded", &reader, nulls: .refused)
        case .metrics: metrics = try Self.readMetrics(&reader, nulls: .refused)
        }
    }

    /// Checks the collected fields in contract order and builds the event.
    func build() throws(EventRejection) -> InputEvent {
        let type = try type.required("type")
        let isAttendee = type == "attendee.status"
        guard isAttendee || type == "engagement.session" else {
            throw EventRejection(
                code: .unknownType,
                field: "type",
                message: "type \(Self.quoted(type)) is neither 'attendee.status' nor 'engagement.session'"
            )
        }
        let version = try version.required("version")
        guard version == Int64(InputEventDecoder.supportedVersion) else {
            throw EventRejection(
                code: .unknownVersion,
                field: "version",
                message: "version \(version) of '\(type)' is not supported (supported: 1)"
            )
        }
        let eventId = try eventId.required("eventId")
        let tenant = try tenant.required("tenant")
        let occurredAt = try occurredAt.required("occurredAt")
        let virtualEventId = try virtualEventId.required("virtualEventId")
        let email = try email.required("email")
        let userId = try userId.optional()
        let leadKey = LeadKey(validatedTenant: tenant, normalizedEmail: email)

        if isAttendee {
            return .attendeeStatus(
                AttendeeStatusEvent(
                    eventId: eventId,
                    leadKey: leadKey,
                    occurredAt: occurredAt,
                    virtualEventId: virtualEventId,
                    userId: userId,
                    status: try status.required("status"),
                    profile: try profile.optional()
                )
            )
        }
        return .engagement(
            EngagementEvent(
                eventId: eventId,
                leadKey: leadKey,
                occurredAt: occurredAt,
                virtualEventId: virtualEventId,
                userId: userId,
                entry: try entry.required("entry"),
                channel: try channel.optional() ?? .unknown,
                sessionEnded: try sessionEnded.optional() ?? false,
                metrics: try metrics.optional() ?? EngagementMetrics()
            )
        )
    }

    // MARK: - Scalars

    /// A value quoted for a message, cut at 100 characters so DLQ headers stay small.
    static func quoted(_ value: String) -> String {
        value.count <= 100 ? "'\(value)'" : "'\(value.prefix(100))…'"
    }

    static func wrongType(_ field: String, expected: String, found kind: JSONValueKind) -> EventRejection {
        EventRejection.invalidField(field, "must be \(expected), found \(kind)")
    }

    /// Reads a string or null; `field` is only evaluated for the error (custom keys build it by interpolation).
    static func readString(
        _ field: @autoclosure () -> String,
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<String> {
        switch try reader.peekKind() {
        case .string:
            return .present(try reader.readString())
        case .null:
            try reader.readNull()
            return nulls.slot(field())
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType(field(), expected: "a string", found: kind))
        }
    }

    static func readNonEmptyString(
        _ field: String,
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<String> {
        let slot = try readString(field, &reader, nulls: nulls)
        if case .present(let value) = slot, value.isEmpty {
            return .invalid(EventRejection.invalidField(field, "must not be empty"))
        }
        return slot
    }

    static func readTenant(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<String> {
        let slot = try readString("tenant", &reader, nulls: nulls)
        if case .present(let tenant) = slot, !LeadKey.isValidTenant(tenant) {
            return .invalid(
                EventRejection.invalidField(
                    "tenant",
                    "\(quoted(tenant)) must be 1-255 bytes without '/', whitespace or control characters"
                )
            )
        }
        return slot
    }

    static func readInteger(
        _ field: String,
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<Int64> {
        switch try reader.peekKind() {
        case .number:
            let token = try reader.readNumber()
            guard let value = reader.integer(token) else {
                return .invalid(EventRejection.invalidField(field, "must be an integer"))
            }
            return .present(value)
        case .null:
            try reader.readNull()
            return nulls.slot(field)
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType(field, expected: "an integer", found: kind))
        }
    }

    static func readBool(
        _ field: String,
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<Bool> {
        switch try reader.peekKind() {
        case .boolean:
            return .present(try reader.readBool())
        case .null:
            try reader.readNull()
            return nulls.slot(field)
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType(field, expected: "a boolean", found: kind))
        }
    }

    static func readTimestamp(
        _ field: String,
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<Timestamp> {
        switch try reader.peekKind() {
        case .string:
            let token = try reader.scanString()
            if !token.hasEscapes, let timestamp = Timestamp.parseRFC3339(reader.rawBytes(token)) {
                return .present(timestamp)
            }
            let text = try reader.string(token)
            if token.hasEscapes, let timestamp = Timestamp(rfc3339: text) {
                return .present(timestamp)
            }
            return .invalid(
                EventRejection(
                    code: .invalidDate,
                    field: field,
                    message: "\(field) \(quoted(text)) is not an RFC 3339 date-time with a zone"
                )
            )
        case .null:
            try reader.readNull()
            return nulls.slot(field)
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType(field, expected: "an RFC 3339 date-time string", found: kind))
        }
    }

    static func readEmail(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<String> {
        switch try reader.peekKind() {
        case .string:
            let token = try reader.scanString()
            let normalized: Result<String, EmailAddress.Invalid>
            if token.hasEscapes {
                let text = try reader.string(token)
                normalized = Result { () throws(EmailAddress.Invalid) in try EmailAddress.normalize(text) }
            } else {
                let raw = reader.rawBytes(token)
                normalized = Result { () throws(EmailAddress.Invalid) in try EmailAddress.normalize(raw) }
            }
            switch normalized {
            case .success(let email):
                return .present(email)
            case .failure(let invalid):
                return .invalid(
                    EventRejection(
                        code: .invalidEmail,
                        field: "email",
                        message: "email is not valid: \(invalid.reason)"
                    )
                )
            }
        case .null:
            try reader.readNull()
            return nulls.slot("email")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("email", expected: "a string", found: kind))
        }
    }

    static func readStatus(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<ReportedStatus> {
        switch try readString("status", &reader, nulls: nulls) {
        case .absent: return .absent
        case .invalid(let rejection): return .invalid(rejection)
        case .present(let name):
            guard let status = ReportedStatus(name: name) else {
                return .invalid(EventRejection.unknownStatus(String(quoted(name).dropFirst().dropLast())))
            }
            return .present(status)
        }
    }

    // MARK: - Objects

    static func readProfile(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<LeadProfile> {
        switch try reader.peekKind() {
        case .object: break
        case .null:
            try reader.readNull()
            return nulls.slot("profile")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("profile", expected: "an object", found: kind))
        }
        var profile = LeadProfile()
        var problem: EventRejection?
        func keep(_ slot: EventFieldSlot<String>) -> String? {
            switch slot {
            case .absent: return nil
            case .present(let value): return value
            case .invalid(let rejection):
                if problem == nil { problem = rejection }
                return nil
            }
        }
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: isFirst) {
            isFirst = false
            if reader.matches(key, "firstName") {
                profile.firstName = keep(try readString("profile.firstName", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "lastName") {
                profile.lastName = keep(try readString("profile.lastName", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "company") {
                profile.company = keep(try readString("profile.company", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "title") {
                profile.title = keep(try readString("profile.title", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "country") {
                profile.country = keep(try readString("profile.country", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "phone") {
                profile.phone = keep(try readString("profile.phone", &reader, nulls: nulls.nested))
            } else if reader.matches(key, "custom") {
                switch try readCustom(&reader, nulls: nulls.nested) {
                case .absent: break
                case .present(let custom): profile.custom = custom
                case .invalid(let rejection): if problem == nil { problem = rejection }
                }
            } else {
                try reader.skipValue()
            }
        }
        if let problem { return .invalid(problem) }
        return .present(profile)
    }

    static func readCustom(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<[String: String]> {
        switch try reader.peekKind() {
        case .object: break
        case .null:
            try reader.readNull()
            return nulls.slot("profile.custom")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("profile.custom", expected: "an object", found: kind))
        }
        var custom: [String: String] = [:]
        var problem: EventRejection?
        try reader.beginObject()
        var isFirst = true
        while let keyToken = try reader.nextKey(isFirst: isFirst) {
            isFirst = false
            let key = try reader.string(keyToken)
            switch try readString("profile.custom.\(key)", &reader, nulls: nulls.nested) {
            case .absent: break
            case .present(let value): custom[key] = value
            case .invalid(let rejection): if problem == nil { problem = rejection }
            }
        }
        if let problem { return .invalid(problem) }
        return .present(custom)
    }

    static func readEntry(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<EngagementEntry> {
        switch try reader.peekKind() {
        case .object: break
        case .null:
            try reader.readNull()
            return nulls.slot("entry")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("entry", expected: "an object", found: kind))
        }
        var id: EventFieldSlot<String> = .absent
        var name: EventFieldSlot<String> = .absent
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: isFirst) {
            isFirst = false
            if reader.matches(key, "id") {
                id = try readNonEmptyString("entry.id", &reader, nulls: nulls == .absent ? .absent : .missing)
            } else if reader.matches(key, "name") {
                name = try readString("entry.name", &reader, nulls: nulls.nested)
            } else {
                try reader.skipValue()
            }
        }
        do {
            return .present(
                EngagementEntry(id: try id.required("entry.id"), name: try name.optional() ?? "")
            )
        } catch {
            return .invalid(error)
        }
    }

    static func readChannel(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<EngagementChannel> {
        switch try reader.peekKind() {
        case .object: break
        case .null:
            try reader.readNull()
            return nulls.slot("channel")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("channel", expected: "an object", found: kind))
        }
        var id: EventFieldSlot<Int64> = .absent
        var name: EventFieldSlot<String> = .absent
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: isFirst) {
            isFirst = false
            if reader.matches(key, "id") {
                id = try readInteger("channel.id", &reader, nulls: nulls.nested)
            } else if reader.matches(key, "name") {
                name = try readString("channel.name", &reader, nulls: nulls.nested)
            } else {
                try reader.skipValue()
            }
        }
        do {
            let channelId = try id.optional() ?? 0
            guard channelId >= 0 else {
                return .invalid(EventRejection.invalidField("channel.id", "must be >= 0, found \(channelId)"))
            }
            return .present(EngagementChannel(id: channelId, name: try name.optional() ?? ""))
        } catch {
            return .invalid(error)
        }
    }

    static func readMetrics(
        _ reader: inout JSONReader,
        nulls: NullPolicy = .absent
    ) throws(JSONReaderError) -> EventFieldSlot<EngagementMetrics> {
        switch try reader.peekKind() {
        case .object: break
        case .null:
            try reader.readNull()
            return nulls.slot("metrics")
        case let kind:
            try reader.skipValue()
            return .invalid(wrongType("metrics", expected: "an object", found: kind))
        }
        var metrics = EngagementMetrics()
        var problem: EventRejection?
        try reader.beginObject()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: isFirst) {
            isFirst = false
            guard let metric = EngagementMetric.ordered.first(where: { reader.matches(key, $0.staticKey) }) else {
                try reader.skipValue()
                continue
            }
            switch try reader.peekKind() {
            case .null:
                try reader.readNull()
                if nulls != .absent, problem == nil {
                    problem = EventRejection.invalidField(
                        "metrics." + metric.key,
                        "is null; leave out a metric whose value is unknown"
                    )
                }
            case .number:
                let token = try reader.readNumber()
                let outcome = metricValue(metric, token: token, reader: reader)
                switch outcome {
                case .success(.count(let value)):
                    metrics.setCount(metric, value)
                case .success(.number(let value)):
                    metrics.setNumber(metric, value)
                case .failure(let rejection):
                    if problem == nil { problem = rejection }
                }
            case let kind:
                try reader.skipValue()
                if problem == nil { problem = wrongType("metrics." + metric.key, expected: "a number", found: kind) }
            }
        }
        if let problem { return .invalid(problem) }
        return .present(metrics)
    }

    /// A checked metric value.
    enum MetricNumber {
        case count(Int)
        case number(Double)
    }

    /// A metric's value checked against its kind.
    private static func metricValue(
        _ metric: EngagementMetric,
        token: JSONNumberToken,
        reader: JSONReader
    ) -> Result<MetricNumber, EventRejection> {
        func field() -> String { "metrics." + metric.key }  // only built when a value is refused
        func text() -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[token.start..<token.end]), as: UTF8.self)
        }
        switch metric.kind {
        case .count:
            guard let value = reader.integer(token), value >= 0 else {
                return .failure(EventRejection.invalidField(field(), "must be an integer >= 0, found \(text())"))
            }
            return .success(.count(Int(value)))
        case .quantity:
            guard let value = reader.double(token), value >= 0 else {
                return .failure(EventRejection.invalidField(field(), "must be a number >= 0, found \(text())"))
            }
            return .success(.number(value))
        case .rate:
            guard let value = reader.double(token), value >= 0, value <= 1 else {
                return .failure(EventRejection.invalidField(field(), "must be a rate within 0...1, found \(text())"))
            }
            return .success(.number(value))
        }
    }
}
