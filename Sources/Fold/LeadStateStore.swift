import LeadModel

/// The state of one fold task (one partition): every lead's encoded `LeadState` and the leads whose
/// Marketo custom activity is pending.
///
/// States stay encoded (`LeadStateCodec`) and are decoded only to fold an event into them: the store
/// is the fold's memory footprint, so it holds bytes, not object graphs. Keys and states live together in one
/// arena (``LeadStateTable``), about 35 bytes a lead besides the bytes themselves (due index included); the
/// pending activities in a min-heap on their due time (``ActivityDueQueue``).
///
/// A value type with copy-on-write: copying a store is cheap, and the first mutation of a copy that shares its
/// memory copies the whole arena. So take a task out of its dictionary before folding into it and put it back
/// after (`tasks.removeValue(forKey:)`): `var task = tasks[p]; task.fold(...); tasks[p] = task` copies every lead
/// of the partition on each round.
struct LeadStateStore: Sendable {
    /// Memory figures, for benchmarks and metrics.
    struct MemoryStatistics: Sendable, Hashable {
        /// Leads in the store.
        var leads: Int
        /// Bytes of keys and encoded states.
        var payloadBytes: Int
        /// Bytes held for records, the key index and the address table.
        var reservedBytes: Int
        /// Bytes of freed records waiting for reuse (part of ``reservedBytes``).
        var freeBytes: Int
        /// Leads with a pending activity.
        var pendingActivities: Int
    }

    /// Keys and states. Mutated only when uniquely referenced (copied first otherwise).
    private var table = LeadStateTable()
    /// Lead number -> when its next custom activity is due, in wall-clock milliseconds.
    private(set) var activityDue = ActivityDueQueue()
    /// The checkpoint of the last committed transaction reflected here, if any.
    var checkpoint: FoldCheckpoint?

    init() {}

    /// An empty store whose in-memory encodings refer to these strings (a snapshot's table).
    init(strings: LeadStringTable) {
        table = LeadStateTable(strings: strings)
    }

    /// The strings the in-memory encodings refer to (written with them into snapshot files).
    var strings: LeadStringTable { table.strings }

    /// Number of leads.
    var count: Int { table.count }

    /// Stores a lead's state (in the store's in-memory encoding) and when its next custom activity is due (`nil`:
    /// none pending). Returns the state's self-contained encoding (the changelog record value), made in the same
    /// pass (`LeadStateCodec.encodeBoth(_:interningInto:)`).
    @discardableResult
    mutating func put(_ key: String, state: LeadState, due: Int64?) -> [UInt8] {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        let encoded = LeadStateCodec.encodeBoth(state, interningInto: table.strings)
        let number = encoded.interned.withUnsafeBytes { table.put(key, state: $0) }
        activityDue.setDue(due, of: number)
        return encoded.selfContained
    }

    /// Stores a lead's self-contained encoding (a changelog record value or a snapshot entry, version 1), in the
    /// store's in-memory encoding; bytes that do not decode are kept as they are (reading the lead then reports
    /// them).
    mutating func put(_ key: String, state: [UInt8], due: Int64?) {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        let number: Int
        if let decoded = try? LeadStateCodec.decode(state) {
            let encoded = LeadStateCodec.encode(decoded, interningInto: table.strings)
            number = encoded.withUnsafeBytes { table.put(key, state: $0) }
        } else {
            number = state.withUnsafeBytes { table.put(key, state: $0) }
        }
        activityDue.setDue(due, of: number)
    }

    /// Stores a lead's state as it is, in this store's in-memory encoding (a snapshot entry written with this
    /// store's strings), without re-encoding it.
    mutating func put(_ key: String, storedState: [UInt8], due: Int64?) {
        if !isKnownUniquelyReferenced(&table) { table = table.copy() }
        let number = storedState.withUnsafeBytes { table.put(key, state: $0) }
        activityDue.setDue(due, of: number)
    }

    /// A lead's state, or `nil` when the store has none.
    /// - Throws: `LeadStateCodec.DecodingError` when its bytes do not decode.
    func state(of key: String) throws(LeadStateCodec.DecodingError) -> LeadState? {
        guard let number = table.find(key) else { return nil }
        return try table.withRecord(number) { _, state throws(LeadStateCodec.DecodingError) in
            try LeadStateCodec.decode(state, strings: table.strings)
        }
    }

    /// A lead's state and when its next custom activity is due, or `nil` when the store has no such lead.
    /// - Throws: `LeadStateCodec.DecodingError` when its bytes do not decode.
    func stateAndDue(of key: String) throws(LeadStateCodec.DecodingError) -> (state: LeadState, due: Int64?)? {
        guard let number = table.find(key) else { return nil }
        let state = try table.withRecord(number) { _, state throws(LeadStateCodec.DecodingError) in
            try LeadStateCodec.decode(state, strings: table.strings)
        }
        return (state, activityDue.due(of: number))
    }

    /// A lead's self-contained encoding (version 1, as in the changelog), or `nil` when the store has none.
    func encodedState(of key: String) -> [UInt8]? {
        table.find(key).map { number in table.withRecord(number) { _, state in selfContained(state) } }
    }

    /// When a lead's next custom activity is due, or `nil` when none is pending.
    func activityDue(of key: String) -> Int64? {
        table.find(key).flatMap { activityDue.due(of: $0) }
    }

    /// Sets when a stored lead's next custom activity is due (`nil`: none) without touching its state; a lead not
    /// in the store is left out.
    mutating func setActivityDue(_ due: Int64?, of key: String) {
        guard let number = table.find(key) else { return }
        activityDue.setDue(due, of: number)
    }

    /// Clears a lead's pending activity without touching its state.
    mutating func clearActivityDue(of key: String) {
        guard let number = table.find(key) else { return }
        activityDue.setDue(nil, of: number)
    }

    /// The leads whose activity is due at or before `time` (wall-clock milliseconds), sorted by key.
    func keysDue(atOrBefore time: Int64) -> [String] {
        activityDue.leads(dueAtOrBefore: time).map { table.key(of: $0) }.sorted()
    }

    /// Calls `body` with every lead's key, self-contained encoding (as the changelog carries it) and activity due
    /// time, in the order the leads were first stored.
    func forEachLead<Failure: Error>(
        _ body: (_ key: String, _ state: [UInt8], _ due: Int64?) throws(Failure) -> Void
    ) throws(Failure) {
        for number in 0..<table.count {
            try table.withRecord(number) { key, state throws(Failure) in
                try body(String(decoding: key, as: UTF8.self), selfContained(state), activityDue.due(of: number))
            }
        }
    }

    /// Calls `body` with every lead's key, stored encoding (this store's in-memory form, valid only inside `body`)
    /// and activity due time, in the order the leads were first stored.
    func forEachStored<Failure: Error>(
        _ body: (_ key: UnsafeRawBufferPointer, _ state: UnsafeRawBufferPointer, _ due: Int64?) throws(Failure) -> Void
    ) throws(Failure) {
        for number in 0..<table.count {
            try table.withRecord(number) { key, state throws(Failure) in
                try body(key, state, activityDue.due(of: number))
            }
        }
    }

    /// A stored encoding made self-contained; bytes that do not decode as they are.
    private func selfContained(_ stored: UnsafeRawBufferPointer) -> [UInt8] {
        guard let state = try? LeadStateCodec.decode(stored, strings: table.strings) else { return Array(stored) }
        return LeadStateCodec.encode(state)
    }

    /// Every lead's encoded state, copied into a dictionary: for tests and tools, not for the fold's path.
    var states: [String: [UInt8]] {
        var states: [String: [UInt8]] = [:]
        states.reserveCapacity(count)
        forEachLead { key, state, _ in states[key] = state }
        return states
    }

    /// Every pending activity's due time by lead key, copied into a dictionary: for tests and tools.
    var activityDueByKey: [String: Int64] {
        var dues: [String: Int64] = [:]
        forEachLead { key, _, due in dues[key] = due }
        return dues
    }

    /// Memory figures of the store.
    var memoryStatistics: MemoryStatistics {
        MemoryStatistics(
            leads: table.count,
            payloadBytes: table.payloadBytes,
            reservedBytes: table.reservedBytes,
            freeBytes: table.freeBytes,
            pendingActivities: activityDue.count
        )
    }
}
