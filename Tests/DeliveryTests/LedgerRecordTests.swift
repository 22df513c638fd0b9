import Foundation
import Kafka
import Testing

@testable import Delivery

/// The ledger topic's records: what a writer writes is what the next owner of the partition reads, and a group reads
/// only its own order and routed marks.
@Suite("Ledger records")
struct LedgerRecordTests {
    @Test("order marks, routed marks and effects read back as written; tombstones forget; other groups are skipped")
    func roundTrip() throws {
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        let order = LedgerRecord.order(
            topic: "t",
            partition: 3,
            scope: "group-a",
            key: "status|m1001|acme/a@example.com",
            mark: OrderMark(delivered: CommandOrder(partition: 3, offset: 42), touched: at)
        )
        #expect(order.partition == 3)
        guard
            case .order(let key, let mark)? = LedgerRecord.decode(key: order.key, value: order.value, scope: "group-a")
        else {
            Issue.record("the order mark did not read back")
            return
        }
        #expect(key == "status|m1001|acme/a@example.com")
        #expect(mark == OrderMark(delivered: CommandOrder(partition: 3, offset: 42), touched: at))
        #expect(
            LedgerRecord.decode(key: order.key, value: order.value, scope: "group-b") == nil,
            "another group's mark"
        )

        let routed = LedgerRecord.routed(
            topic: "t",
            partition: 1,
            scope: "group-a",
            key: "marketo.commands|1|7",
            to: "marketo.commands.dlq",
            at: at
        )
        guard
            case .routed(let routedKey, let routedAt)? = LedgerRecord.decode(
                key: routed.key,
                value: routed.value,
                scope: "group-a"
            )
        else {
            Issue.record("the routed mark did not read back")
            return
        }
        #expect(routedKey == "marketo.commands|1|7" && routedAt == at)

        let effectKey = EffectKey(partition: 5, id: "marketo-activity/123-ABC-456/c1")
        let entry = EffectEntry(status: .intended, at: at, detail: ["leadId": "9", "primary": "1_x"])
        let effect = LedgerRecord.effect(topic: "t", key: effectKey, entry: entry)
        #expect(effect.partition == 5)
        // Effects are facts about the CRM: every group reads them.
        guard
            case .effect(let id, let read)? = LedgerRecord.decode(
                key: effect.key,
                value: effect.value,
                scope: "group-b"
            )
        else {
            Issue.record("the effect did not read back")
            return
        }
        #expect(id == effectKey.id && read == entry)
        let tombstone = LedgerRecord.effect(topic: "t", key: effectKey, entry: nil)
        #expect(tombstone.value == nil)
        guard case .effect(_, let forgotten)? = LedgerRecord.decode(key: tombstone.key, value: nil, scope: "group-a")
        else {
            Issue.record("the tombstone did not read back")
            return
        }
        #expect(forgotten == nil)
        #expect(LedgerRecord.decode(key: Array("unknown|x".utf8), value: [1], scope: "group-a") == nil)
    }

    @Test("an in-memory effect ledger records intents, outcomes and removals; applied entries keep only the CRM id")
    func inMemoryLedger() async throws {
        let ledger = EffectLedger.inMemory()
        let key = EffectKey(partition: 0, id: "marketo-activity/m/c")
        #expect(ledger.entry(key) == nil)
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        try await ledger.recordIntents([(key, ["leadId": "1", "primary": "e", "commandId": "c"])], at: at)
        #expect(ledger.entry(key)?.status == .intended)
        #expect(ledger.entry(key)?.detail["commandId"] == "c")
        try await ledger.recordApplied([(key, ["crmId": "g1", "leadId": "1", "primary": "e"])], at: at)
        #expect(ledger.entry(key)?.status == .applied)
        #expect(ledger.entry(key)?.detail == ["crmId": "g1"])
        try await ledger.recordAbsent([key])
        #expect(ledger.entry(key) == nil)
    }
}

extension LedgerRecord.Decoded: Equatable {
    static func == (lhs: LedgerRecord.Decoded, rhs: LedgerRecord.Decoded) -> Bool {
        switch (lhs, rhs) {
        case (.order(let a, let b), .order(let c, let d)): a == c && b == d
        case (.effect(let a, let b), .effect(let c, let d)): a == c && b == d
        case (.routed(let a, let b), .routed(let c, let d)): a == c && b == d
        default: false
        }
    }
}
