import Foundation
import Kafka

// MARK: - LedgerRecord

/// The records of `<dest>.commands.ledger` (schema `topics/schemas/ledger.v1.json`): a compacted topic with the
/// command topic's partition count, where partition *p* holds what protects the commands of command partition
/// *p*. Keys:
/// - `order|<group>|<order key>`: the newest delivered command of a lead's key that had a retry (``OrderMark``);
/// - `routed|<group>|<topic>|<partition>|<offset>`: a consumed command was routed (retry or dead-letter topic) and
///   Kafka acknowledged the routed record, so a repeat of the consumed record after a crash is skipped, not routed
///   twice;
/// - `effect|<id>`: a call that appends (a Marketo custom activity), intended or applied (``EffectEntry``). An
///   effect is a fact about the CRM (its id names the subscription), whichever group sent it, so it has no group.
///
/// Order and routed marks belong to the consumer group that wrote them: a group reads only its own.
///
/// A record without a value (a tombstone) forgets the key: for an effect, that it was settled as not applied.
enum LedgerRecord {
    static let orderPrefix = "order|"
    static let effectPrefix = "effect|"
    static let routedPrefix = "routed|"

    /// The JSON of an order mark.
    private struct OrderValue: Codable {
        var type = "order"
        var v = 1
        var deliveredPartition: Int32?
        var deliveredOffset: Int64?
        var touchedAt: Int64
    }

    /// The JSON of a routed mark.
    private struct RoutedValue: Codable {
        var type = "routed"
        var v = 1
        var to: String
        var at: Int64
    }

    /// The JSON of an effect.
    private struct EffectValue: Codable {
        var type = "effect"
        var v = 1
        var state: String
        var at: Int64
        var detail: [String: String]
    }

    static func order(topic: String, partition: Int32, scope: String, key: String, mark: OrderMark) -> OutgoingRecord {
        let value = OrderValue(
            deliveredPartition: mark.delivered?.partition,
            deliveredOffset: mark.delivered?.offset,
            touchedAt: milliseconds(mark.touched)
        )
        return OutgoingRecord(
            topic: topic,
            partition: partition,
            key: Array((orderPrefix + scope + "|" + key).utf8),
            value: encode(value)
        )
    }

    static func routed(
        topic: String,
        partition: Int32,
        scope: String,
        key: String,
        to destination: String,
        at date: Date
    ) -> OutgoingRecord {
        OutgoingRecord(
            topic: topic,
            partition: partition,
            key: Array((routedPrefix + scope + "|" + key).utf8),
            value: encode(RoutedValue(to: destination, at: milliseconds(date)))
        )
    }

    static func effect(topic: String, key: EffectKey, entry: EffectEntry?) -> OutgoingRecord {
        let value = entry.map {
            encode(EffectValue(state: $0.status.rawValue, at: milliseconds($0.at), detail: $0.detail))
        }
        return OutgoingRecord(
            topic: topic,
            partition: key.partition,
            key: Array((effectPrefix + key.id).utf8),
            value: value
        )
    }

    /// What a consumed ledger record says, or nil for a record this version does not know (skipped).
    enum Decoded {
        case order(key: String, OrderMark?)
        case effect(id: String, EffectEntry?)
        case routed(key: String, at: Date?)
    }

    /// - Parameters:
    ///   - key: The record's key: its prefix names the mark, and order and routed marks also name their group.
    ///   - value: The record's JSON value; nil is a tombstone (the mark was removed).
    ///   - scope: The reading group: order and routed marks of other groups are skipped (nil).
    static func decode(key: [UInt8]?, value: [UInt8]?, scope: String) -> Decoded? {
        guard let key else { return nil }
        let text = String(decoding: key, as: UTF8.self)
        let ownOrder = orderPrefix + scope + "|"
        let ownRouted = routedPrefix + scope + "|"
        if text.hasPrefix(ownOrder) {
            let orderKey = String(text.dropFirst(ownOrder.count))
            guard let value else { return .order(key: orderKey, nil) }
            guard let decoded = try? JSONDecoder().decode(OrderValue.self, from: Data(value)) else { return nil }
            var delivered: CommandOrder?
            if let partition = decoded.deliveredPartition, let offset = decoded.deliveredOffset {
                delivered = CommandOrder(partition: partition, offset: offset)
            }
            return .order(key: orderKey, OrderMark(delivered: delivered, touched: date(decoded.touchedAt)))
        }
        if text.hasPrefix(ownRouted) {
            let routedKey = String(text.dropFirst(ownRouted.count))
            guard let value else { return .routed(key: routedKey, at: nil) }
            guard let decoded = try? JSONDecoder().decode(RoutedValue.self, from: Data(value)) else { return nil }
            return .routed(key: routedKey, at: date(decoded.at))
        }
        if text.hasPrefix(effectPrefix) {
            let id = String(text.dropFirst(effectPrefix.count))
            guard let value else { return .effect(id: id, nil) }
            guard let decoded = try? JSONDecoder().decode(EffectValue.self, from: Data(value)),
                let status = EffectEntry.Status(rawValue: decoded.state)
            else { return nil }
            return .effect(id: id, EffectEntry(status: status, at: date(decoded.at), detail: decoded.detail))
        }
        return nil
    }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? Array(encoder.encode(value))) ?? []
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

// MARK: - OrderMark

/// The order ledger's entry for one key: the newest command delivered since a command of the key went to the
/// retry topic, and when the entry last changed (it expires after the retry budget's age).
struct OrderMark: Sendable, Hashable {
    var delivered: CommandOrder?
    var touched: Date
}
