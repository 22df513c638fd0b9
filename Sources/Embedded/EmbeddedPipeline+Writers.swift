public import Delivery
import Foundation
import Kafka
public import LeadModel
import Logging
import MarketoWriter
import SalesforceWriter

// MARK: - Writers after the run

extension EmbeddedPipeline {
    /// Runs fresh writer runtimes (the run's consumer groups, so they resume at the committed offsets) until
    /// every destination finished `commands` more commands (delivered, skipped, superseded, stale or
    /// dead-lettered) and has nothing in flight or delayed, then stops them. For commands produced after
    /// ``run(progress:)``, such as a reconciliation's corrective commands.
    /// - Parameters:
    ///   - commands: The commands to wait for, per destination.
    ///   - timeout: The longest it may take.
    /// - Returns: The writers' final status.
    /// - Throws: ``EmbeddedPipelineError`` when the writers did not finish in time; a writer's failure.
    public func deliver(
        commands: [Destination: Int],
        timeout: Duration = .seconds(120)
    ) async throws -> [Destination: DeliveryStatus] {
        var runtimes: [Destination: DeliveryRuntime] = [:]
        for destination in commands.keys where writers[destination] != nil {
            runtimes[destination] = try makeWriter(destination)
        }
        let tasks = runtimes.map { destination, writer in (destination, Task { try await writer.run() }) }
        let deadline = ContinuousClock.now + timeout
        var statuses: [Destination: DeliveryStatus] = [:]
        while true {
            statuses = runtimes.mapValues(\.status)
            let finished = statuses.allSatisfy { destination, status in
                status.unfinished == 0 && status.delayed == 0
                    && EmbeddedProgress.finishedCommands(status) >= commands[destination] ?? 0
            }
            if finished { break }
            guard ContinuousClock.now < deadline else {
                for (_, task) in tasks { task.cancel() }
                throw EmbeddedPipelineError(
                    message: "the writers did not deliver \(commands) in \(timeout): \(statuses)"
                )
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        for (_, task) in tasks { task.cancel() }
        for (_, task) in tasks { try await task.value }
        return runtimes.mapValues(\.status)
    }

    /// A writer runtime configured like the run's (same group, topics and caches).
    private func makeWriter(_ destination: Destination) throws -> DeliveryRuntime {
        try WriterRole.runtime(
            for: destination, config: config, client: client, instanceId: "run",
            directory: options.stateDirectory.appendingPathComponent("writer-\(destination.rawValue)"),
            sessionTimeout: .seconds(6), logger: logger)
    }
}
