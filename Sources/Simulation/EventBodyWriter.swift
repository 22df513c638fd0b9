import LeadModel

// MARK: - EventBodyWriter

/// Writes a planned event as the JSON body of docs/events.md, optionally with one deliberate defect (for poison).
struct EventBodyWriter {
    /// A top-level field a defect can target.
    enum Field: Equatable {
        case type, version, eventId, tenant, occurredAt, virtualEventId, email, status, entry
    }

    /// The one thing wrong with a body.
    enum Defect {
        /// A correct body.
        case none
        /// The field is left out, or written as `null` (which counts as absent).
        case omit(Field, asNull: Bool)
        /// The field's value is replaced by this JSON text.
        case replace(Field, [UInt8])
    }

    let tenant: PreparedPlan.Tenant
    let lead: SimulatedLead

    /// The key of each top-level field, quoted, with its colon.
    private static func key(_ field: Field) -> StaticString {
        switch field {
        case .type: "\"type\":"
        case .version: "\"version\":"
        case .eventId: "\"eventId\":"
        case .tenant: "\"tenant\":"
        case .occurredAt: "\"occurredAt\":"
        case .virtualEventId: "\"virtualEventId\":"
        case .email: "\"email\":"
        case .status: "\"status\":"
        case .entry: "\"entry\":"
        }
    }

    /// Quoted metric keys with their colons, by metric raw value.
    private static let metricKeys: [[UInt8]] = EntrySession.metrics.map { Array("\"\($0.key)\":".utf8) }
    private static let metricDecimals: [Int] = EntrySession.metrics.map { metric in
        switch metric.kind {
        case .count: 0
        case .quantity: 2
        case .rate: 3
        }
    }

    /// The body of `event`.
    /// - Parameters:
    ///   - event: the planned event whose JSON is written.
    ///   - email: the quoted email to write (the lead's canonical one, or a variant spelling).
    ///   - defect: what to break, for poison.
    func body(_ event: PlannedEvent, email: [UInt8], defect: Defect = .none) -> [UInt8] {
        var writer = JSONBodyWriter(capacity: event.isAttendee ? 420 : 1000)
        var isFirst = true

        /// Writes the key of `field` and tells whether the caller should write the normal value.
        func begin(_ field: Field) -> Bool {
            switch defect {
            case .omit(let target, let asNull) where target == field:
                if asNull {
                    if !isFirst { writer.byte(UInt8(ascii: ",")) }
                    isFirst = false
                    writer.raw(EventBodyWriter.key(field))
                    writer.raw("null")
                }
                return false
            case .replace(let target, let value) where target == field:
                if !isFirst { writer.byte(UInt8(ascii: ",")) }
                isFirst = false
                writer.raw(EventBodyWriter.key(field))
                writer.raw(value)
                return false
            default:
                if !isFirst { writer.byte(UInt8(ascii: ",")) }
                isFirst = false
                writer.raw(EventBodyWriter.key(field))
                return true
            }
        }

        writer.byte(UInt8(ascii: "{"))
        if begin(.type) { writer.raw(event.isAttendee ? "\"attendee.status\"" : "\"engagement.session\"") }
        if begin(.version) { writer.raw("1") }
        if begin(.eventId) {
            writer.byte(UInt8(ascii: "\""))
            writer.raw(event.eventId)
            writer.byte(UInt8(ascii: "\""))
        }
        if begin(.tenant) { writer.raw(tenant.quotedId) }
        if begin(.occurredAt) { writer.quotedTimestamp(event.occurredAt, form: event.timeForm) }
        if begin(.virtualEventId) { writer.raw(tenant.quotedVirtualEventIds[event.virtualEventIndex]) }
        if begin(.email) { writer.raw(email) }
        if let userId = lead.quotedUserId {
            writer.raw(",\"userId\":")
            writer.raw(userId)
        }
        switch event.payload {
        case .status(let name, let includesProfile):
            if begin(.status) { writer.string(name) }
            if includesProfile { writer.raw(lead.profileJSON) }
        case .engagement(let snapshot):
            if begin(.entry) { writer.raw(snapshot.entryJSON) }
            writer.raw(snapshot.channelJSON)
            writer.raw(snapshot.sessionEnded ? ",\"sessionEnded\":true" : ",\"sessionEnded\":false")
            writeMetrics(snapshot, &writer)
        }
        writer.byte(UInt8(ascii: "}"))
        return writer.bytes
    }

    private func writeMetrics(_ snapshot: EngagementSnapshot, _ writer: inout JSONBodyWriter) {
        writer.raw(",\"metrics\":{")
        var isFirst = true
        for index in 0..<snapshot.values.count where snapshot.presence & (1 << UInt32(index)) != 0 {
            if !isFirst { writer.byte(UInt8(ascii: ",")) }
            isFirst = false
            writer.raw(EventBodyWriter.metricKeys[index])
            writer.fixedPoint(snapshot.values[index], decimals: EventBodyWriter.metricDecimals[index])
        }
        writer.byte(UInt8(ascii: "}"))
    }
}
