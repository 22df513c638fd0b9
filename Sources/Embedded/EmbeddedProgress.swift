import Basics
public import Delivery
public import LeadModel

// MARK: - EmbeddedProgress

/// Where an embedded run stands.
public struct EmbeddedProgress: Sendable, CustomStringConvertible {
    /// Simulated events produced, and how many there will be.
    public var produced: Int
    public var total: Int
    /// How long the run has taken.
    public var elapsed: Duration
    /// Input records the fold has consumed (events, repartitioned events), and those not committed yet.
    public var folded = 0
    public var foldUncommitted = 0
    /// Records in `leadsync.events.dlq`.
    public var foldDeadLetters = 0
    /// Commands on each command topic.
    public var commands: [Destination: Int] = [:]
    /// Each writer's status.
    public var writers: [Destination: DeliveryStatus] = [:]

    /// Set when a role stopped by itself.
    public var failure: String? {
        for (destination, status) in writers where !status.isRunning && status.consumed > 0 {
            return "the \(destination.rawValue) writer stopped"
        }
        return nil
    }

    /// Whether every produced event is folded and committed and every command finished.
    public var isFinished: Bool {
        guard produced == total, folded >= produced, foldUncommitted == 0 else { return false }
        return writers.allSatisfy { destination, status in
            status.unfinished == 0 && status.delayed == 0 && Self.finishedCommands(status) >= commands[destination] ?? 0
        }
    }

    /// Whether nothing moved since `other`.
    func sameWork(as other: EmbeddedProgress?) -> Bool {
        guard let other else { return false }
        return folded == other.folded && commands == other.commands
            && writers.mapValues(\.consumed) == other.writers.mapValues(\.consumed)
    }

    static func finishedCommands(_ status: DeliveryStatus) -> Int {
        status.delivered + status.skipped + status.superseded + status.stale + status.deadLettered
    }

    public var description: String {
        let seconds = elapsed.seconds
        var text = String(format: "%6.1fs  events %d/%d  folded %d", seconds, produced, total, folded)
        for destination in writers.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let status = writers[destination] else { continue }
            text += "  \(destination.rawValue): \(Self.finishedCommands(status))/\(commands[destination] ?? 0) done"
            if status.retried > 0 { text += ", \(status.retried) retried" }
            if status.deadLettered > 0 { text += ", \(status.deadLettered) dead-lettered" }
            if !status.parkedSubscriptions.isEmpty { text += ", parked" }
        }
        return text
    }
}
