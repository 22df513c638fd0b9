import Foundation
import Kafka
import LeadModel
import Simulation
import Testing

@testable import Fold

@Suite("The fold after a failed commit")
struct FoldAbortTests {
    @Test("a failed commit aborts, every partition restores again from the log, and every command is written once")
    func abortRestoresAndCarriesOn() async throws {
        // A cluster of its own: injected request errors are cluster-wide and would hit the other suites' folds.
        let cluster = try MockCluster(brokers: 1, logger: FoldHarness.logger)
        let client = KafkaClientConfiguration(bootstrapServers: [cluster.bootstrapServers], clientId: "fold-abort")
        let topics = FoldConfiguration.Topics.standard.prefixed("abort-")
        for topic in Set(topics.inputs + [topics.changelog, topics.deadLetter] + topics.commands.values) {
            try cluster.createTopic(topic, partitions: FoldHarness.partitions)
        }
        var configuration = try FoldHarness.configuration(topics: topics, group: "g-abort")
        configuration.client = client
        let records = Array(
            FoldHarness.plan(leads: 200, rates: SimulationRates(outOfOrder: 0.1, duplicate: 0.05), seed: 13).records()
        )
        let half = records.count / 2

        try await FoldHarness.produce(Array(records[..<half]), to: topics, client: client)
        let first = FoldHarness.RunningFold(configuration)
        try await first.waitUntilCommitted(inputs: half)
        try await first.stop()

        // The next instance's restore reads every changelog and output partition to its end (and pauses it there).
        let fold = FoldHarness.RunningFold(configuration)
        try await FoldHarness.waitUntil(timeout: .seconds(60), "the restore") {
            if let failure = fold.failure.value { throw HarnessError("the fold failed: \(failure)") }
            return fold.runtime.status.isReady
        }
        let restoredOnce = fold.runtime.status.restoredRecords
        #expect(restoredOnce > 0)

        // The next commit is refused with an abortable error.
        cluster.pushRequestErrors(.endTxn, [.topicAuthorizationFailed])
        try await FoldHarness.produce(Array(records[half...]), to: topics, client: client)
        // The restore after the abort reads the same partitions again, with the same reader.
        try await FoldHarness.waitUntil(timeout: .seconds(60), "a restore after the abort") {
            if let failure = fold.failure.value { throw HarnessError("the fold failed: \(failure)") }
            return fold.runtime.status.restoredRecords > restoredOnce && fold.runtime.status.isReady
        }

        let expected = ReferenceFold.commandIds(for: records, tenants: FoldHarness.tenants())
        var ids: [String] = []
        let deadline = ContinuousClock.now + .seconds(90)
        repeat {
            if let failure = fold.failure.value { throw HarnessError("the fold failed: \(failure)") }
            ids = try await FoldHarness.commandIds(topics, client: client)
            if expected.isSubset(of: Set(ids)) { break }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        try await fold.stop()

        var commands: [Command] = []
        for topic in topics.commands.values.sorted() {
            for record in try await FoldHarness.readAll(topic, client: client) {
                commands.append(try CommandCodec.decode(record.value))
            }
        }
        ids = commands.map(\.commandId.rawValue)
        #expect(ids.count == Set(ids).count, "no command twice")
        #expect(expected.isSubset(of: Set(ids)))
        // A re-fold may restate a member status that the aborted transaction left last (docs/exactly-once.md,
        // "Re-folds in another order"); every other command is the reference's.
        for command in commands where !expected.contains(command.commandId.rawValue) {
            #expect(command.sourceEventId.hasPrefix("restatement:"), "\(command.commandId.rawValue)")
        }
    }
}
