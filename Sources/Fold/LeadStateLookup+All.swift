import Foundation
public import Kafka
public import LeadModel
public import Logging

extension LeadStateLookup {
    /// Every lead's committed state, rebuilt from the whole changelog the way a restore would (for checks and
    /// reconciliation; memory grows with the number of leads).
    /// - Throws: ``FoldError`` when Kafka cannot be read or the changelog does not decode.
    public static func committedStates(
        changelog: String,
        client: KafkaClientConfiguration,
        logger: Logger
    ) async throws(FoldError) -> [LeadKey: LeadState] {
        let partitionCount = try await partitionCount(of: changelog, client: client, logger: logger)
        var replays = [Int32: ChangelogReplay]()
        let reader = try stateReader(client: client, label: "leadsync-state-all", logger: logger)
        let starts = Dictionary(
            uniqueKeysWithValues: (0..<Int32(partitionCount)).map {
                (TopicPartition(topic: changelog, partition: $0), Int64(0))
            }
        )
        _ = try await reader.readToEnd(from: starts) { record throws(FoldError) in
            do {
                try replays[record.partition, default: ChangelogReplay()].consume(
                    key: record.key,
                    value: record.value,
                    headers: record.headers
                )
            } catch {
                throw FoldError(
                    kind: .corruptState,
                    message: "\(changelog)[\(record.partition)]@\(record.offset): \(error)"
                )
            }
        }
        var states: [LeadKey: LeadState] = [:]
        for replay in replays.values {
            try replay.store.forEachLead { rawKey, bytes, _ throws(FoldError) in
                guard let key = LeadKey(rawValue: rawKey) else { return }
                do {
                    states[key] = try LeadStateCodec.decode(bytes)
                } catch {
                    throw FoldError(kind: .corruptState, message: "state of \(rawKey) does not decode: \(error)")
                }
            }
        }
        return states
    }
}
