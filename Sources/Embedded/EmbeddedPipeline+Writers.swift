public import Delivery
import Foundation
import Kafka
public import LeadModel
import Logging
import Roles

// MARK: - Writers after the run

extension EmbeddedPipeline {
    /// Runs fresh writer runtimes (the run's consumer groups, so they resume at the committed offsets) until
    /// every destination finished `commands` more commands (delivered, skipped, superseded, stale or
    /// dead-lettered) and has nothing in flight or delayed, then stops them. For commands produced after
    /// ``run(handlesSignals:progress:)``, such as a reconciliation's corrective commands.
    /// - Parameters:
    ///   - commands: The commands to wait for, per destination.
    ///   - timeout: The longest it may take.
    /// The writers run in a ``RoleGroup``: one that throws stops the others and ends this with its error.
    /// - Returns: The writers' status when they had finished (before they were shut down).
    /// - Throws: ``EmbeddedPipelineError`` when the writers did not finish in time; a writer's failure.
    public func deliver(
        commands: [Destination: Int],
        timeout: Duration = .seconds(120)
    ) async throws -> [Destination: DeliveryStatus] {
        var runtimes: [Destination: DeliveryRuntime] = [:]
        for destination in commands.keys where writers[destination] != nil {
            runtimes[destination] = try makeWriter(destination)
        }
        let roles = runtimes.sorted { $0.key.rawValue < $1.key.rawValue }.map { destination, writer in
            RoleGroup.Role(name: "\(destination.rawValue) writer", service: writer)
        }
        let writers = runtimes
        return try await RoleGroup(roles: roles, handlesSignals: false, logger: logger).run {
            let deadline = ContinuousClock.now + timeout
            while true {
                let statuses = writers.mapValues(\.status)
                let finished = statuses.allSatisfy { destination, status in
                    status.unfinished == 0 && status.delayed == 0
                        && EmbeddedProgress.finishedCommands(status) >= commands[destination] ?? 0
                }
                if finished { return statuses }
                guard ContinuousClock.now < deadline else {
                    throw EmbeddedPipelineError(
                        message: "the writers did not deliver \(commands) in \(timeout): \(statuses)"
                    )
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// A writer runtime configured like the run's (same group, topics and caches).
    private func makeWriter(_ destination: Destination) throws -> DeliveryRuntime {
        try WriterRole.runtime(
            for: destination,
            config: config,
            client: client,
            instanceId: "run",
            directory: options.stateDirectory.appendingPathComponent("writer-\(destination.rawValue)"),
            sessionTimeout: .seconds(6),
            logger: logger
        )
    }
}
