import Basics
import LeadModel

// MARK: - LeadScript

/// Everything one lead produces, in the order it is produced: its valid events (statuses, then engagement),
/// some held back behind the next one (out of order), with duplicates and poison records among them.
///
/// A lead's records depend only on the plan and the lead's index (its own random stream), never on the other
/// leads, so a lead is the same whichever interleaving window it is generated in.
struct LeadScript {
    let prepared: PreparedPlan
    let lead: SimulatedLead
    let tenant: PreparedPlan.Tenant
    let writer: EventBodyWriter
    var random: SplitMix64

    init(prepared: PreparedPlan, leadIndex: Int) {
        self.prepared = prepared
        var random = SplitMix64(seed: prepared.plan.seed, stream: UInt64(leadIndex))
        let tenantIndex = leadIndex % prepared.tenants.count
        let tenant = prepared.tenants[tenantIndex]
        let lead = SimulatedLead(index: leadIndex, tenant: tenant, tenantIndex: tenantIndex, random: &random)
        self.tenant = tenant
        self.lead = lead
        self.writer = EventBodyWriter(tenant: tenant, lead: lead)
        self.random = random
    }

    /// The lead's records in produce order.
    mutating func records() -> [SimulatedRecord] {
        let plan = prepared.plan
        let events = plannedEvents()
        let order = produceOrder(of: events)
        let rates = plan.rates
        let departureRate = rates.poison + rates.duplicate

        var records: [SimulatedRecord] = []
        records.reserveCapacity(Int(Double(events.count) * (1 + 2 * departureRate)) + 2)
        var validIndices: [Int] = []
        var pendingDuplicates = 0
        var latestAttendee = Int64.min
        var latestEngagement = Int64.min

        for eventIndex in order {
            // Before each valid record, draw until the draw says "valid": the share of poison and duplicates
            // among all records is then exactly their rates.
            while departureRate > 0 {
                let draw = random.unit()
                if draw < rates.poison {
                    records.append(poisonRecord(like: events[eventIndex]))
                } else if draw < departureRate {
                    if validIndices.isEmpty {
                        pendingDuplicates += 1
                    } else {
                        records.append(duplicate(of: records[validIndices[random.below(validIndices.count)]]))
                    }
                } else {
                    break
                }
            }
            let event = events[eventIndex]
            let isLate: Bool
            if event.isAttendee {
                isLate = event.occurredAt < latestAttendee
                latestAttendee = max(latestAttendee, event.occurredAt)
            } else {
                isLate = event.occurredAt < latestEngagement
                latestEngagement = max(latestEngagement, event.occurredAt)
            }
            validIndices.append(records.count)
            records.append(validRecord(event, isDeliveredLate: isLate))
            while pendingDuplicates > 0 {
                records.append(duplicate(of: records[validIndices[random.below(validIndices.count)]]))
                pendingDuplicates -= 1
            }
        }
        return records
    }

    // MARK: - Records

    private mutating func validRecord(_ event: PlannedEvent, isDeliveredLate: Bool) -> SimulatedRecord {
        let rates = prepared.plan.rates
        let email =
            rates.emailVariation > 0 && random.chance(rates.emailVariation)
            ? JSONBodyWriter.quoted(lead.variantEmail(&random)) : lead.quotedEmail
        var keyForm = RecordIntent.KeyForm.canonical
        var key: [UInt8]? = lead.keyBytes
        if rates.nonCanonicalKey > 0, random.chance(rates.nonCanonicalKey) {
            switch random.below(3) {
            case 0:
                keyForm = .absent
                key = nil
            case 1:
                // `acme/ Jane.Doe.12@Domain3.Example `: whitespace and letter case around the right lead.
                keyForm = .nonCanonical
                key = Array("\(tenant.id)/ \(lead.capitalizedEmail) ".utf8)
            default:
                // `ACME/Jane.Doe.12@Domain3.Example`: the capitalised email alone already differs.
                keyForm = .nonCanonical
                key = Array("\(tenant.id.uppercased())/\(lead.capitalizedEmail)".utf8)
            }
        }
        return SimulatedRecord(
            topic: event.isAttendee ? prepared.plan.attendeeTopic : prepared.plan.engagementTopic,
            key: key,
            value: writer.body(event, email: email),
            intent: RecordIntent(
                kind: .valid,
                leadKey: lead.leadKey,
                keyForm: keyForm,
                eventId: String(decoding: event.eventId, as: UTF8.self),
                occurredAt: Timestamp(millisecondsSinceEpoch: event.occurredAt),
                isDeliveredLate: isDeliveredLate
            )
        )
    }

    private func duplicate(of original: SimulatedRecord) -> SimulatedRecord {
        var copy = original
        copy.intent.kind = .duplicate
        copy.intent.isDeliveredLate = false
        return copy
    }

    // MARK: - Order

    /// The order in which the events are produced: time order, except that on each topic a record is held back
    /// behind the next one with the out-of-order probability (never two in a row). The positions each topic
    /// occupies in the lead's sequence stay the same.
    private mutating func produceOrder(of events: [PlannedEvent]) -> [Int] {
        var order = Array(events.indices)
        let rate = prepared.plan.rates.outOfOrder
        guard rate > 0 else { return order }
        for isAttendee in [true, false] {
            let slots = events.indices.filter { events[$0].isAttendee == isAttendee }
            var produced: [Int] = []
            produced.reserveCapacity(slots.count)
            var held: Int?
            for (position, eventIndex) in slots.enumerated() {
                if let heldIndex = held {
                    produced.append(eventIndex)
                    produced.append(heldIndex)
                    held = nil
                } else if position < slots.count - 1, random.chance(rate) {
                    held = eventIndex
                } else {
                    produced.append(eventIndex)
                }
            }
            for (slot, eventIndex) in zip(slots, produced) { order[slot] = eventIndex }
        }
        return order
    }
}
