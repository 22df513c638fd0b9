import Foundation

extension MarketoStore {
    /// A snapshot of one subscription (bulk jobs advanced to now), or nil for an unknown munchkin id.
    func snapshot(_ munchkinId: String) -> MarketoSubscriptionSnapshot? {
        let now = now()
        return state.withLock { state -> MarketoSubscriptionSnapshot? in
            guard var sub = state.subscriptions[munchkinId] else { return nil }
            advanceBulkJobs(&sub, now: now)
            state.subscriptions[munchkinId] = sub
            let calls = state.calls.filter { $0.munchkinId == munchkinId }
            var counters = SandboxCounters()
            calls.forEach { counters.add($0) }
            let memberships = sub.memberships.keys.sorted().flatMap { program in
                (sub.memberships[program] ?? [:]).values.sorted { $0.leadId < $1.leadId }
            }
            let objects = sub.setup.customObjects.flatMap { object in
                (sub.customObjectOrder[object.name] ?? []).compactMap { sub.customObjects[object.name]?[$0] }
            }
            return MarketoSubscriptionSnapshot(
                munchkinId: munchkinId,
                leads: sub.leads.values.sorted { $0.id < $1.id },
                memberships: memberships,
                activities: sub.activities,
                customObjects: objects,
                imports: sub.imports,
                exports: sub.exports,
                calls: calls,
                counters: counters,
                inFlight: sub.inFlight
            )
        }
    }

    /// The call log, for one subscription or all.
    func calls(munchkinId: String?) -> [SandboxCall] {
        state.withLock { state in
            munchkinId.map { id in state.calls.filter { $0.munchkinId == id } } ?? state.calls
        }
    }

    func clearCalls() {
        state.withLock { $0.calls.removeAll() }
    }

    func faults() -> [MarketoFault] {
        state.withLock { $0.faults }
    }
}
