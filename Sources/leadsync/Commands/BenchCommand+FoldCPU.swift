import ArgumentParser
import Fold
import Foundation
import LeadModel
import Simulation

extension BenchCommand {
    /// The fold task's own CPU per event: the fold benchmark's stream through one fold task, with no Kafka.
    struct FoldCPU: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fold-cpu",
            abstract: "The fold task's CPU per event, with no Kafka (one thread).",
            discussion: """
                Folds the same simulated stream as `bench fold` through one fold task, on one thread, exactly as \
                the runtime folds a record (decode, validate, apply, state store, record cache, commands encoded \
                into records), and counts the records it would send instead of sending them. The record cache is \
                emptied every --commit-every records, as a commit does. Prints events/s and microseconds per event: \
                the fold's own share of `bench fold`'s time, apart from the cluster's.
                """
        )

        @Option(help: "Leads in the stream.") var leads = 10_000
        @Option(help: "Valid events per lead.") var eventsPerLead = 10
        @Option(help: "Records per transaction (the record cache is emptied at each).") var commitEvery = 20_000
        @Option(help: "Times the stream is folded (each into a new task); the best run is reported.") var runs = 3

        func run() async throws {
            try await runReportingErrors {
                guard commitEvery > 0, runs > 0 else {
                    throw CommandFailure(message: "--commit-every and --runs must be positive")
                }
                let plan = FoldThroughput.plan(leads: leads, eventsPerLead: eventsPerLead)
                try plan.validate()
                // Generated beforehand: the simulation is not the fold's cost.
                let records = Array(plan.records())
                let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
                var best = Double.infinity
                var task = OfflineFoldTask(tenants: BenchTenants.directory)
                for _ in 0..<runs {
                    task = OfflineFoldTask(tenants: BenchTenants.directory)
                    let cpuStart = processCPUSeconds()
                    var inTransaction = 0
                    for record in records {
                        try task.fold(topic: record.topic, key: record.key, value: record.value, now: now)
                        inTransaction += 1
                        if inTransaction == commitEvery {
                            try task.commit()
                            inTransaction = 0
                        }
                    }
                    try task.commit()
                    best = min(best, processCPUSeconds() - cpuStart)
                }
                printLine(
                    FoldThroughput.json([
                        "events": records.count, "leads": task.leadCount, "commit_every": commitEvery,
                        "cpu_s": best, "events_per_cpu_s": (Double(records.count) / best).rounded(),
                        "us_per_event": best / Double(records.count) * 1e6,
                        "records_sent": task.recordsSent, "states_sent": task.statesSent,
                        "bytes_per_event": Double(task.bytesSent) / Double(records.count),
                    ])
                )
            }
        }
    }
}
