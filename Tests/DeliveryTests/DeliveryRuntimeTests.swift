import Delivery
import Foundation
import Kafka
import LeadModel
import RecordHeaders
import Testing

@Suite("Delivery runtime on the mock cluster", .serialized)
struct DeliveryRuntimeTests {
    @Test("every command reaches the sink once, a lead's statuses in order, and every offset is committed")
    func deliversEverythingOnce() async throws {
        let topics = try DeliveryHarness.makeTopics("happy")
        let sink = ScriptedSink(subscriptions: ["acme": "org-1", "globex": "org-2", "initech": "org-2"])
        var commands: [Command] = []
        for tenant in ["acme", "globex", "initech"] {
            for lead in 0..<60 {
                for status in [ChannelStatus.registered, .confirmed, .attended] {
                    commands.append(DeliveryHarness.status(status, tenant: tenant, email: "lead\(lead)@example.com"))
                }
            }
        }
        try await DeliveryHarness.produce(commands, to: topics.commands)
        let configuration = try DeliveryHarness.configuration(topics)
        let writer = DeliveryHarness.RunningWriter(configuration, sink: sink)
        try await DeliveryHarness.waitUntil("every command finished") {
            let status = writer.runtime.status
            return status.delivered + status.superseded == commands.count && status.unfinished == 0
        }
        try await Task.sleep(for: .milliseconds(300))  // one more commit round
        try await writer.stop()

        let delivered = sink.delivered
        #expect(Set(delivered).count == delivered.count, "no command is delivered twice")
        #expect(sink.calls.allSatisfy { $0.items.count <= configuration.maxBatchCommands })
        // Per lead: what the sink saw is in the order of the fold, and the last one is the newest.
        var seen: [String: [ChannelStatus]] = [:]
        for call in sink.calls {
            for (item, outcome) in zip(call.items, call.outcomes) where outcome == .delivered {
                guard case .memberStatus(let change) = item.command.payload else { continue }
                seen[item.command.leadKey.rawValue, default: []].append(change.status)
            }
        }
        #expect(seen.count == 180)
        for (lead, statuses) in seen {
            #expect(statuses.map(\.step) == statuses.map(\.step).sorted(), "lead \(lead) saw \(statuses)")
            #expect(statuses.last == .attended, "lead \(lead) ends at \(String(describing: statuses.last))")
        }
        #expect(writer.runtime.status.superseded > 0, "coalescing replaced older statuses in a batch")
        let (committed, end) = try await DeliveryHarness.committedAndEnd(
            group: configuration.groupId,
            topic: topics.commands
        )
        #expect(committed == end)
        #expect(try await DeliveryHarness.readAll(topics.deadLetter).isEmpty)
    }

    @Test("transient failures go through the retry topic with not-before and attempts headers, then deliver")
    func transientFailuresAreRetried() async throws {
        let topics = try DeliveryHarness.makeTopics("transient")
        let sink = ScriptedSink(subscriptions: ["acme": "org-1"])
        let commands = (0..<30).map { DeliveryHarness.status(.registered, tenant: "acme", email: "t\($0)@example.com") }
        for command in commands.prefix(10) { sink.script(command.commandId, [.transient, .transient]) }
        try await DeliveryHarness.produce(commands, to: topics.commands)
        let configuration = try DeliveryHarness.configuration(topics)
        let writer = DeliveryHarness.RunningWriter(configuration, sink: sink)
        try await DeliveryHarness.waitUntil("every command delivered") {
            writer.runtime.status.delivered == commands.count && writer.runtime.status.unfinished == 0
        }
        try await writer.stop()

        #expect(Set(sink.delivered) == Set(commands.map(\.commandId.rawValue)))
        let retries = try await DeliveryHarness.readAll(topics.retry)
        #expect(retries.count == 20)
        for record in retries {
            let attempts = record.headers.string(for: DeadLetterHeaders.attempts).flatMap { Int($0) }
            #expect(attempts == 1 || attempts == 2)
            let notBefore = try #require(record.headers.string(for: DeadLetterHeaders.notBefore).flatMap { Int64($0) })
            #expect(notBefore >= (record.timestamp ?? 0), "a retry waits at least until it was written")
            #expect(record.headers.string(for: DeadLetterHeaders.errorCode) == "http_503")
            #expect(record.headers.string(for: DeadLetterHeaders.originalTopic) == topics.commands)
        }
        // A command's second retry keeps its first origin and first failure time.
        let byCommand = Dictionary(grouping: retries) { try! CommandCodec.decode($0.value).commandId.rawValue }
        for records in byCommand.values {
            #expect(Set(records.map { $0.headers.string(for: DeadLetterHeaders.originalOffset) }).count == 1)
            #expect(Set(records.map { $0.headers.string(for: DeadLetterHeaders.firstFailedAt) }).count == 1)
        }
        #expect(try await DeliveryHarness.readAll(topics.deadLetter).isEmpty)
    }

    @Test("permanent failures and spent retry budgets are dead-lettered with their reasons; the rest flows")
    func deadLetters() async throws {
        let topics = try DeliveryHarness.makeTopics("dlq")
        let sink = ScriptedSink(subscriptions: ["acme": "org-1"])
        let commands = (0..<20).map { DeliveryHarness.status(.attended, tenant: "acme", email: "d\($0)@example.com") }
        for command in commands.prefix(3) { sink.script(command.commandId, [.permanent("INVALID_STATUS")]) }
        for command in commands[3..<5] { sink.script(command.commandId, Array(repeating: .transient, count: 10)) }
        let strangers = [DeliveryHarness.status(.attended, tenant: "umbrella", email: "x@example.com")]
        try await DeliveryHarness.produce(commands + strangers, to: topics.commands)
        try await DeliveryHarness.produce([
            OutgoingRecord(topic: topics.commands, key: Array("acme/y@example.com".utf8), value: Array("{oops".utf8))
        ])
        let configuration = try DeliveryHarness.configuration(topics)
        let writer = DeliveryHarness.RunningWriter(configuration, sink: sink)
        try await DeliveryHarness.waitUntil("every command finished") {
            let status = writer.runtime.status
            return status.delivered == 15 && status.deadLettered == 7 && status.unfinished == 0
        }
        try await writer.stop()

        let letters = try await DeliveryHarness.readAll(topics.deadLetter)
        #expect(letters.count == 7)
        let codes = letters.compactMap { $0.headers.string(for: DeadLetterHeaders.errorCode) }.sorted()
        #expect(
            codes == [
                "INVALID_STATUS", "INVALID_STATUS", "INVALID_STATUS", "http_503", "http_503", "invalid_command",
                "unknown_tenant",
            ]
        )
        for letter in letters {
            for header in [
                DeadLetterHeaders.errorClass, DeadLetterHeaders.errorMessage, DeadLetterHeaders.originalTopic,
                DeadLetterHeaders.originalPartition, DeadLetterHeaders.originalOffset, DeadLetterHeaders.attempts,
                DeadLetterHeaders.firstFailedAt,
            ] {
                #expect(letter.headers.string(for: header) != nil, "dead letter lacks \(header)")
            }
            #expect(letter.headers.string(for: DeadLetterHeaders.originalTopic) == topics.commands)
        }
        let gaveUp = letters.filter { $0.headers.string(for: DeadLetterHeaders.errorCode) == "http_503" }
        for letter in gaveUp {
            #expect(letter.headers.string(for: DeadLetterHeaders.attempts) == "4")
            #expect(
                letter.headers.string(for: DeadLetterHeaders.errorMessage)?.hasPrefix("gave up after 4 attempts")
                    == true
            )
        }
        #expect(try await DeliveryHarness.readAll(topics.retry).count == 6, "3 retries each for the 2 given up on")
    }

    @Test(
        "a spent quota parks its subscription only; a short park holds commands in memory, a long one goes to retry",
        arguments: [true, false]
    )
    func quotaParksOneSubscription(holdsInMemory: Bool) async throws {
        let topics = try DeliveryHarness.makeTopics("quota")
        let sink = ScriptedSink(subscriptions: ["acme": "org-1", "acme-eu": "org-1", "globex": "org-2"])
        sink.exhaustQuota(of: "org-1", forSeconds: 4)
        let parkedCommands = (0..<20).flatMap { lead in
            ["acme", "acme-eu"].map { DeliveryHarness.status(.registered, tenant: $0, email: "q\(lead)@example.com") }
        }
        let flowing = (0..<20).map {
            DeliveryHarness.status(.registered, tenant: "globex", email: "g\($0)@example.com")
        }
        try await DeliveryHarness.produce(parkedCommands + flowing, to: topics.commands)
        var configuration = try DeliveryHarness.configuration(topics)
        // The park lasts 4 s: held in memory below the hold limit, routed to the retry topic above it.
        configuration.parkHoldLimit = holdsInMemory ? .seconds(60) : .seconds(1)
        let writer = DeliveryHarness.RunningWriter(configuration, sink: sink)
        try await DeliveryHarness.waitUntil("globex delivered while org-1 is parked") {
            Set(sink.delivered).isSuperset(of: flowing.map(\.commandId.rawValue))
        }
        let resumeAt = try #require(sink.quotaResets(of: "org-1"))
        #expect(Date() < resumeAt, "the other subscription did not wait for the park")
        #expect(writer.runtime.status.parkedSubscriptions["org-1"] != nil)
        try await DeliveryHarness.waitUntil("everything delivered") {
            writer.runtime.status.delivered == parkedCommands.count + flowing.count
                && writer.runtime.status.unfinished == 0
        }
        try await writer.stop()

        let org1Calls = sink.calls.filter { $0.tenant != "globex" }
        let refused = org1Calls.filter { call in call.outcomes.allSatisfy { !$0.isDone } }
        #expect(!refused.isEmpty)
        // Only batches already in flight when the park began (one per tenant of org-1) met the spent quota.
        #expect(refused.count <= 2, "\(refused.count) org-1 calls were made while it was parked")
        let accepted = org1Calls.filter { call in call.outcomes.allSatisfy(\.isDone) }
        #expect(accepted.allSatisfy { $0.at >= resumeAt }, "org-1 was called again before its quota reset")
        #expect(Set(sink.delivered).isSuperset(of: parkedCommands.map(\.commandId.rawValue)))
        let retries = try await DeliveryHarness.readAll(topics.retry)
        if holdsInMemory {
            #expect(retries.isEmpty, "a short park moved \(retries.count) commands to the retry topic")
            #expect(writer.runtime.status.held > 0)
        } else {
            #expect(!retries.isEmpty)
            #expect(retries.allSatisfy { $0.headers.string(for: DeadLetterHeaders.errorClass) == "quota_exhausted" })
            #expect(
                retries.allSatisfy { $0.headers.string(for: DeadLetterHeaders.attempts) == "0" },
                "a park is no attempt"
            )
        }
        #expect(try await DeliveryHarness.readAll(topics.deadLetter).isEmpty)
    }

    @Test("a retried older status never overwrites a newer one delivered meanwhile")
    func perLeadOrderAcrossRetries() async throws {
        let topics = try DeliveryHarness.makeTopics("order")
        let sink = ScriptedSink(subscriptions: ["acme": "org-1"])
        let registered = DeliveryHarness.status(.registered, tenant: "acme", email: "o@example.com")
        let attended = DeliveryHarness.status(.attended, tenant: "acme", email: "o@example.com")
        sink.script(registered.commandId, [.transient])
        // The retry waits 3-6 s: the newer command is delivered before it even on a loaded machine.
        let configuration = try DeliveryHarness.configuration(
            topics,
            retry: RetrySchedule(maxAttempts: 4, initialBackoff: .seconds(6), maxBackoff: .seconds(6))
        )
        let writer = DeliveryHarness.RunningWriter(configuration, sink: sink)
        try await DeliveryHarness.produce([registered], to: topics.commands)
        try await DeliveryHarness.waitUntil("registered failed once") { writer.runtime.status.retried == 1 }
        try await DeliveryHarness.produce([attended], to: topics.commands)
        try await DeliveryHarness.waitUntil("attended delivered and registered dropped") {
            writer.runtime.status.delivered == 1 && writer.runtime.status.stale == 1
                && writer.runtime.status.unfinished == 0
        }
        try await writer.stop()
        #expect(sink.delivered == [attended.commandId.rawValue])
    }

    @Test("a restarted writer starts after what was committed")
    func restartResumesFromCommittedOffsets() async throws {
        let topics = try DeliveryHarness.makeTopics("restart")
        let first = (0..<40).map { DeliveryHarness.status(.registered, tenant: "acme", email: "r\($0)@example.com") }
        try await DeliveryHarness.produce(first, to: topics.commands)
        let configuration = try DeliveryHarness.configuration(topics)
        let firstSink = ScriptedSink(subscriptions: ["acme": "org-1"])
        let writer = DeliveryHarness.RunningWriter(configuration, sink: firstSink)
        try await DeliveryHarness.waitUntil("first run delivered") {
            writer.runtime.status.delivered == 40 && writer.runtime.status.unfinished == 0
        }
        try await writer.stop()

        let second = (0..<10).map { DeliveryHarness.status(.attended, tenant: "acme", email: "r\($0)@example.com") }
        try await DeliveryHarness.produce(second, to: topics.commands)
        let secondSink = ScriptedSink(subscriptions: ["acme": "org-1"])
        let restarted = DeliveryHarness.RunningWriter(configuration, sink: secondSink)
        try await DeliveryHarness.waitUntil("second run delivered") {
            restarted.runtime.status.delivered == 10 && restarted.runtime.status.unfinished == 0
        }
        try await Task.sleep(for: .milliseconds(300))
        try await restarted.stop()
        #expect(Set(secondSink.delivered) == Set(second.map(\.commandId.rawValue)))
        #expect(restarted.runtime.status.consumed == 10)
    }

    @Test(
        "a writer cancelled mid-batch lets the batch's calls finish uncancelled and commits them; nothing is sent twice"
    )
    func cancellationFinishesBatchesInFlight() async throws {
        let topics = try DeliveryHarness.makeTopics("cancel")
        let commands = (0..<12).map { DeliveryHarness.status(.registered, tenant: "acme", email: "c\($0)@example.com") }
        try await DeliveryHarness.produce(commands, to: topics.commands)
        let configuration = try DeliveryHarness.configuration(topics)
        let gated = GatedSink()
        let writer = DeliveryHarness.RunningWriter(configuration, sink: gated)
        try await DeliveryHarness.waitUntil("a call in flight") { gated.callsStarted > 0 }
        writer.task.cancel()
        try await Task.sleep(for: .milliseconds(300))  // the cancelled loop is now waiting for the batch
        gated.open()
        try await writer.task.value

        #expect(gated.cancelledCalls == 0, "a call in flight was cancelled with the writer")
        let (committed, end) = try await DeliveryHarness.committedAndEnd(
            group: configuration.groupId,
            topic: topics.commands
        )
        let delivered = Set(gated.delivered)
        #expect(!delivered.isEmpty)
        #expect(delivered.isSubset(of: Set(commands.map(\.commandId.rawValue))))
        // A successor in the same group delivers only what the cancelled writer had not: every command once.
        let successor = ScriptedSink(subscriptions: ["acme": "org-1"])
        let restarted = DeliveryHarness.RunningWriter(configuration, sink: successor)
        if committed < end {
            try await DeliveryHarness.waitUntil("the rest delivered") {
                delivered.count + successor.delivered.count >= commands.count
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        try await restarted.stop()
        #expect(delivered.isDisjoint(with: successor.delivered), "the successor sent a finished command again")
        #expect(delivered.union(successor.delivered) == Set(commands.map(\.commandId.rawValue)))
    }
}
