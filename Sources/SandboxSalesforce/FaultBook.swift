import Basics

// MARK: - FaultBook

/// The injected faults in force, each with its own seeded generator and remaining count.
struct FaultBook: Sendable {
    struct Entry: Sendable {
        var fault: SandboxFault
        var random: SplitMix64
    }

    private(set) var entries: [Entry] = []
    private var nextId = 1

    var faults: [SandboxFault] { entries.map(\.fault) }

    /// Adds a fault; returns it with the id it got.
    @discardableResult
    mutating func add(_ fault: SandboxFault) -> SandboxFault {
        var fault = fault
        fault.id = "f\(nextId)"
        nextId += 1
        entries.append(Entry(fault: fault, random: SplitMix64(seed: fault.seed)))
        return fault
    }

    /// Removes the fault with this id; returns whether there was one.
    mutating func remove(id: String) -> Bool {
        let before = entries.count
        entries.removeAll { $0.fault.id == id }
        return entries.count < before
    }

    /// Removes faults of one org (nil: all).
    mutating func clear(orgId: String?) {
        if let orgId {
            entries.removeAll { $0.fault.orgId == orgId }
        } else {
            entries.removeAll()
        }
    }

    /// Draws the request-level faults that hit this call: the first error or drop, and the total latency.
    mutating func drawRequest(orgId: String?, endpoint: String) -> (decisive: SandboxFault?, latencyMs: Int) {
        var latency = 0
        var decisive: SandboxFault?
        for index in entries.indices where !entries[index].fault.perRecord {
            guard entries[index].fault.matches(orgId: orgId, endpoint: endpoint), draw(index) else { continue }
            switch entries[index].fault.kind {
            case .latency: latency += entries[index].fault.latencyMilliseconds ?? 0
            case .error, .drop:
                if decisive == nil { decisive = entries[index].fault }
            }
        }
        return (decisive, latency)
    }

    /// Draws a per-record error for one record of a call, if a per-record fault hits it.
    mutating func drawRowError(orgId: String, endpoint: String) -> APIError? {
        for index in entries.indices where entries[index].fault.perRecord && entries[index].fault.kind == .error {
            guard entries[index].fault.matches(orgId: orgId, endpoint: endpoint), draw(index) else { continue }
            let answer = entries[index].fault.errorAnswer
            return APIError(answer.code ?? "UNKNOWN_EXCEPTION", answer.message)
        }
        return nil
    }

    private mutating func draw(_ index: Int) -> Bool {
        if let remaining = entries[index].fault.remaining, remaining <= 0 { return false }
        let hit = entries[index].fault.rate >= 1 || entries[index].random.unit() < entries[index].fault.rate
        if hit, let remaining = entries[index].fault.remaining {
            entries[index].fault.remaining = remaining - 1
        }
        return hit
    }
}
