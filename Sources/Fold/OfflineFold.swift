import Basics
import Foundation
public import LeadModel

/// Folds input records into a state store exactly as a fold task keeps it (encoded states keyed by lead), with no
/// Kafka: what `leadsync bench state` measures the memory of.
public struct OfflineFold {
    private var store = LeadStateStore()
    /// Bytes of the changelog records the fold would have sent.
    public private(set) var changelogBytes = 0
    private let tenants: TenantDirectory
    private let decoder = InputEventDecoder()
    /// The store before the arena (a dictionary of version 1 encodings and one of due times), kept to compare.
    private let usesDictionaryStore: Bool
    private var dictionaryStates: [String: [UInt8]] = [:]
    private var dictionaryDue: [String: Int64] = [:]

    /// - Parameters:
    ///   - tenants: the tenants and their rules: events of other tenants, or that fail validation, are skipped.
    ///   - dictionaryStore: fold into the previous store layout instead (`[String: [UInt8]]` of version 1
    ///     encodings plus `[String: Int64]` of due times), for an A/B comparison in the same build.
    public init(tenants: TenantDirectory, dictionaryStore: Bool = false) {
        self.tenants = tenants
        self.usesDictionaryStore = dictionaryStore
    }

    /// Folds one record value; invalid ones are skipped (the runtime dead-letters them).
    public mutating func fold(_ value: [UInt8], now: Timestamp) {
        guard let event = try? decoder.decode(value), tenants.validate(event) == nil,
            let rules = tenants.rules(for: event.tenant)
        else { return }
        let key = event.leadKey.rawValue
        if usesDictionaryStore {
            var state = dictionaryStates[key].flatMap { try? LeadStateCodec.decode($0) } ?? LeadState()
            guard LeadFold.apply(event, to: &state, rules: rules, now: now).stateChanged else { return }
            let encoded = LeadStateCodec.encode(state)
            changelogBytes += encoded.count
            dictionaryStates[key] = encoded
            let due = LeadFold.nextActivityDue(in: state, rules: rules)?.millisecondsSinceEpoch
            if let due { dictionaryDue[key] = due } else { dictionaryDue.removeValue(forKey: key) }
            return
        }
        var state = (try? store.state(of: key)) ?? nil ?? LeadState()
        let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
        if outcome.stateChanged {
            let due = LeadFold.nextActivityDue(in: state, rules: rules)?.millisecondsSinceEpoch
            // The changelog record value a fold task would send: made in the same pass, as the fold task does.
            changelogBytes += store.put(key, state: state, due: due).count
        }
    }

    /// Leads in the store.
    public var leadCount: Int { usesDictionaryStore ? dictionaryStates.count : store.count }

    /// Calls `body` with every lead's key and encoded state (`LeadStateCodec`), in no set order.
    public func forEachState(_ body: (_ key: String, _ state: [UInt8]) -> Void) {
        if usesDictionaryStore {
            for (key, state) in dictionaryStates { body(key, state) }
        }
        store.forEachLead { key, state, _ in body(key, state) }
    }

    /// Puts every lead's self-contained encoding (as the changelog carries it) into a new store, as a restore
    /// does with the changelog's records: the store re-encodes each into its in-memory form. Returns the leads and
    /// the seconds the puts took (collecting the encodings beforehand is not timed).
    public func measureRestore() -> (leads: Int, seconds: Double) {
        var records: [(key: String, state: [UInt8], due: Int64?)] = []
        records.reserveCapacity(store.count)
        store.forEachLead { key, state, due in records.append((key, state, due)) }
        let started = ContinuousClock.now
        var restored = LeadStateStore()
        for record in records { restored.put(record.key, state: record.state, due: record.due) }
        let elapsed = ContinuousClock.now - started
        withExtendedLifetime(restored) {}
        return (records.count, elapsed.seconds)
    }

    /// Writes the store to a snapshot file at `path` and reads it back, as a fold task's snapshot and restore do.
    /// Returns the seconds each took and the file's size; the file is removed.
    /// - Throws: when the file cannot be written or read back.
    public func measureSnapshot(at path: String) throws -> (writeSeconds: Double, readSeconds: Double, bytes: Int) {
        let file = StateSnapshotFile(url: URL(fileURLWithPath: path))
        defer { file.remove() }
        let clock = ContinuousClock()
        let written = try clock.measure { try file.write(store, changelogOffset: 0) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var restored: LeadStateStore?
        let read = try clock.measure { restored = try file.read()?.store }
        guard restored?.count == store.count else {
            throw ChangelogError(kind: .corruptSnapshot, detail: "\(path): read back \(restored?.count ?? 0) leads")
        }
        return (written.seconds, read.seconds, size)
    }

    /// Memory figures of the store.
    var memoryStatistics: LeadStateStore.MemoryStatistics { store.memoryStatistics }

    /// Bytes of encoded state and keys, without any container overhead.
    public var payloadBytes: Int {
        usesDictionaryStore
            ? dictionaryStates.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
            : store.memoryStatistics.payloadBytes
    }

    /// Bytes the store holds for records, key index and address table (payload, record headers, rounding, free
    /// space waiting for reuse), and for the pending-activity heap.
    public var reservedBytes: Int {
        let statistics = store.memoryStatistics
        return statistics.reservedBytes + statistics.pendingActivities * 12 + statistics.leads * 4
    }

    /// Bytes of freed records waiting for reuse.
    public var freeBytes: Int { store.memoryStatistics.freeBytes }
}
