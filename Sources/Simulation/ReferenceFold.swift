public import LeadModel

/// What a correct fold must reach for a simulated stream: each record folded in stream order by the domain
/// alone (no Kafka), skipping what the fold dead-letters. Tests compare a running fold's state and commands with it.
///
/// ``states(for:tenants:)`` is what any fold reaches, in any arrival order (event time), apart from the custom
/// activities' settle timer (a wall clock). ``commandIds(for:tenants:)`` are the ids of the commands emitted on the
/// way in stream order: a fold that meets the records in another order (the two input topics interleaved
/// differently, re-keyed records through the repartition topic) may pass through other statuses and emit others.
/// They match when the order of each lead's status-affecting events is the same: with Participated off, and
/// records keyed canonically (see docs/exactly-once.md).
public enum ReferenceFold {
    /// The command ids of every command the stream's events emit.
    public static func commandIds(
        for records: some Sequence<SimulatedRecord>,
        tenants: TenantDirectory
    ) -> Set<String> {
        fold(records, tenants: tenants).commandIds
    }

    /// Lead key -> the state the stream's events fold into.
    public static func states(
        for records: some Sequence<SimulatedRecord>,
        tenants: TenantDirectory
    ) -> [String: LeadState] {
        fold(records, tenants: tenants).states
    }

    private static func fold(
        _ records: some Sequence<SimulatedRecord>,
        tenants: TenantDirectory
    ) -> (states: [String: LeadState], commandIds: Set<String>) {
        let decoder = InputEventDecoder()
        var states: [String: LeadState] = [:]
        var ids: Set<String> = []
        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        for record in records {
            guard let event = try? decoder.decode(record.value), tenants.validate(event) == nil,
                let rules = tenants.rules(for: event.tenant)
            else { continue }
            let key = event.leadKey.rawValue
            var state = states[key] ?? LeadState()
            let outcome = LeadFold.apply(event, to: &state, rules: rules, now: now)
            states[key] = state
            for command in outcome.commands { ids.insert(command.commandId.rawValue) }
        }
        return (states, ids)
    }
}
