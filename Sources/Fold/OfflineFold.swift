public import LeadModel

/// Folds input records into a state store exactly as a fold task keeps it (encoded states keyed by lead), with no
/// Kafka: what `leadsync bench state` measures the memory of.
public struct OfflineFold {
    private var store = LeadStateStore()
    private let tenants: TenantDirectory
    private let decoder = InputEventDecoder()

    public init(tenants: TenantDirectory) {
        self.tenants = tenants
    }

    /// Folds one record value; invalid ones are skipped (the runtime dead-letters them).
    public mutating func fold(_ value: [UInt8], now: Timestamp) {
        guard let event = try? decoder.decode(value), tenants.validate(event) == nil,
            let rules = tenants.rules(for: event.tenant)
        else { return }
        let key = event.leadKey.rawValue
        var state = store.states[key].flatMap { try? LeadStateCodec.decode($0) } ?? LeadState()
        let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
        if outcome.stateChanged {
            store.put(
                key,
                state: LeadStateCodec.encode(state),
                due: LeadFold.nextActivityDue(in: state, rules: rules)?.millisecondsSinceEpoch
            )
        }
    }

    /// Leads in the store.
    public var leadCount: Int { store.count }

    /// Bytes of encoded state and keys, without any container overhead.
    public var payloadBytes: Int { store.states.reduce(0) { $0 + $1.key.utf8.count + $1.value.count } }
}
