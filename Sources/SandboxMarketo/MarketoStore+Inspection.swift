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
            let counters = state.counters[munchkinId] ?? SandboxCounters()
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

    /// Totals for one subscription, or over every call.
    func counters(munchkinId: String?) -> SandboxCounters {
        state.withLock { state in
            if let munchkinId { return state.counters[munchkinId] ?? SandboxCounters() }
            return state.counters.values.reduce(into: SandboxCounters()) { $0.merge($1) }
        }
    }

    /// Empties the call log and resets the counters.
    func clearCalls() {
        state.withLock { state in
            state.calls.removeAll()
            state.counters.removeAll()
        }
    }

    func faults() -> [MarketoFault] {
        state.withLock { $0.faults }
    }
}
