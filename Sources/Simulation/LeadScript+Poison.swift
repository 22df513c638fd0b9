import LeadModel

// MARK: - Poison records

extension LeadScript {
    /// A record of this lead that cannot be folded: an event like `model` (same topic and virtual event, a fresh
    /// id) with one defect of a kind chosen among the plan's poison kinds.
    mutating func poisonRecord(like model: PlannedEvent) -> SimulatedRecord {
        let kind = random.pick(prepared.plan.rates.poisonKinds)
        var event = model
        event.eventId = JSONBodyWriter.uuidText(random.next(), random.next())
        if kind == .unknownStatus, !event.isAttendee {
            event.payload = .status(name: "Registered", includesProfile: false)
        }
        let topic = event.isAttendee ? prepared.plan.attendeeTopic : prepared.plan.engagementTopic
        var leadKey = lead.leadKey
        var eventId: String? = String(decoding: event.eventId, as: UTF8.self)
        let value: [UInt8]

        switch kind {
        case .notJSON:
            eventId = nil
            value = notJSON(event)
        case .missingField:
            var fields: [EventBodyWriter.Field] = [.type, .eventId, .tenant, .occurredAt, .virtualEventId, .email]
            fields.append(event.isAttendee ? .status : .entry)
            let field = random.pick(fields)
            if field == .eventId { eventId = nil }
            value = writer.body(event, email: lead.quotedEmail, defect: .omit(field, asNull: random.chance(0.3)))
        case .invalidEmail:
            let local = lead.email.prefix { $0 != "@" }
            let template = random.pick(SimulationVocabulary.invalidEmailTemplates)
            let invalid = String(template.flatMap { $0 == "#" ? Array(local) : [$0] })
            value = writer.body(
                event,
                email: lead.quotedEmail,
                defect: .replace(.email, JSONBodyWriter.quoted(invalid))
            )
        case .unknownStatus:
            let status = JSONBodyWriter.quoted(random.pick(SimulationVocabulary.unknownStatuses))
            value = writer.body(event, email: lead.quotedEmail, defect: .replace(.status, status))
        case .invalidDate:
            let date = JSONBodyWriter.quoted(random.pick(SimulationVocabulary.invalidDates))
            value = writer.body(event, email: lead.quotedEmail, defect: .replace(.occurredAt, date))
        case .unknownType:
            let type = JSONBodyWriter.quoted(random.pick(SimulationVocabulary.unknownTypes))
            value = writer.body(event, email: lead.quotedEmail, defect: .replace(.type, type))
        case .unknownVersion:
            var version = JSONBodyWriter(capacity: 4)
            version.integer(random.pick(SimulationVocabulary.unknownVersions))
            value = writer.body(event, email: lead.quotedEmail, defect: .replace(.version, version.bytes))
        case .unmappedEvent:
            value = writer.body(
                event,
                email: lead.quotedEmail,
                defect: .replace(.virtualEventId, tenant.quotedUnmappedEventId)
            )
        case .unknownTenant:
            leadKey = tenant.unknownTenantId + "/" + lead.email
            value = writer.body(
                event,
                email: lead.quotedEmail,
                defect: .replace(.tenant, JSONBodyWriter.quoted(tenant.unknownTenantId))
            )
        }
        return SimulatedRecord(
            topic: topic,
            key: Array(leadKey.utf8),
            value: value,
            intent: RecordIntent(
                kind: .poison(kind),
                leadKey: leadKey,
                keyForm: .canonical,
                eventId: eventId,
                occurredAt: nil,
                isDeliveredLate: false
            )
        )
    }

    /// Bytes that are not a JSON object: a body cut short, one with trailing garbage, an array, or other text.
    private mutating func notJSON(_ event: PlannedEvent) -> [UInt8] {
        let body = writer.body(event, email: lead.quotedEmail)
        switch random.below(4) {
        case 0:
            // Any strict prefix of an object lacks its closing brace.
            return Array(body.prefix(1 + random.below(body.count - 1)))
        case 1:
            return body + Array("}\n{".utf8)
        case 2:
            return [UInt8(ascii: "[")] + body + [UInt8(ascii: "]")]
        default:
            return Array(random.pick(SimulationVocabulary.notJSONTexts).utf8)
        }
    }
}
