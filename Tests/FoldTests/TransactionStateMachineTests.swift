import Kafka
import Testing

@testable import Fold

/// The transaction state machine alone: events in, actions out, no Kafka and no clock of its own.
@Suite("Transaction state machine: what each event asks of Kafka")
struct TransactionStateMachineTests {
    /// The machine with a label for a commit (what it carries through a commit is opaque to it).
    typealias Machine = TransactionStateMachine<String>

    private let start = ContinuousClock.now
    private let interval = Duration.seconds(1)

    private func machine(maxRecords: Int = 10) -> Machine {
        Machine(token: "t0", commitInterval: interval, commitMaxRecords: maxRecords, now: start)
    }

    private func checkpoint(_ token: String, input: Int64) -> FoldCheckpoint {
        FoldCheckpoint(token: token, abandoned: [], inputs: ["in": input], outputs: [:], committedAt: 0)
    }

    private func record(_ value: UInt8) -> OutgoingRecord {
        OutgoingRecord(topic: "out", partition: 0, key: nil, value: [value])
    }

    private static let abortable = KafkaError(code: .state, reason: "commit failed", requiresAbort: true)

    /// Drives a fresh machine into `committing` with `commit` in flight.
    private func committing(_ commit: String = "c1", maxRecords: Int = 10) -> Machine {
        var machine = machine(maxRecords: maxRecords)
        _ = machine.beginIfIdle(now: start)
        machine.folded(inputRecords: 3, heldOutputs: [])
        _ = machine.commitPrepared(commit, nextToken: "t1")
        return machine
    }

    @Test("idle: the first write begins a transaction with nothing owed; later writes begin none")
    func beginsOnce() {
        var machine = machine()
        guard case .begin(let owed) = machine.beginIfIdle(now: start) else {
            Issue.record("an idle machine must begin a transaction")
            return
        }
        #expect(owed.isEmpty)
        #expect(machine.isOpen)
        guard case .none = machine.beginIfIdle(now: start) else {
            Issue.record("an open transaction must not be begun again")
            return
        }
    }

    @Test("a batch is sent into the open transaction (begun if idle), and held while a commit is in flight")
    func routesFolds() {
        var machine = machine()
        guard case .send(.begin) = machine.routeForFold(now: start) else {
            Issue.record("an idle machine sends a batch after beginning a transaction")
            return
        }
        guard case .send(.none) = machine.routeForFold(now: start) else {
            Issue.record("an open transaction takes the batch as it is")
            return
        }
        var inFlight = committing()
        guard case .hold = inFlight.routeForFold(now: start) else {
            Issue.record("outputs folded while a commit is in flight belong to the next transaction")
            return
        }
        #expect(inFlight.isCommitting)
    }

    @Test("a transaction is due by its input records or by its age, never while idle")
    func commitDue() {
        var machine = machine(maxRecords: 5)
        #expect(!machine.isCommitDue(now: start + .seconds(10)))
        _ = machine.beginIfIdle(now: start)
        machine.folded(inputRecords: 4, heldOutputs: [])
        #expect(!machine.isCommitDue(now: start + .milliseconds(999)))
        #expect(machine.isCommitDue(now: start + interval))
        machine.folded(inputRecords: 1, heldOutputs: [])
        #expect(machine.isCommitDue(now: start))
    }

    @Test("preparing a commit needs an open transaction, and takes the next token")
    func commitPrepared() {
        var idle = machine()
        #expect(idle.commitPrepared("c", nextToken: "t1") == nil)
        #expect(idle.token == "t0")

        var machine = machine()
        _ = machine.beginIfIdle(now: start)
        #expect(machine.commitPrepared("c", nextToken: "t1") == "c")
        #expect(machine.token == "t1")
        #expect(machine.isCommitting)
        #expect(!machine.isOpen)
    }

    @Test("while a commit is in flight, folded work is held for the next transaction, in order")
    func holdsWhileCommitting() {
        var machine = committing()
        machine.folded(inputRecords: 2, heldOutputs: [record(1), record(2)])
        machine.folded(inputRecords: 1, heldOutputs: [record(3)])
        machine.commitEnded(.success(()))
        guard case .committed(let committed) = machine.settleCommit(now: start + .milliseconds(50)) else {
            Issue.record("an ended commit settles")
            return
        }
        #expect(committed.commit == "c1")
        #expect(committed.heldInputRecords == 3)
        #expect(committed.heldOutputs.map(\.value) == [[1], [2], [3]])
        #expect(committed.began == start)
    }

    @Test("the loop waits for the commit once it ended, when partitions restore, or after a transaction's worth")
    func mustAwaitCommit() {
        #expect(!machine().mustAwaitCommit(restorePending: true))  // nothing in flight

        var machine = committing(maxRecords: 4)
        #expect(!machine.mustAwaitCommit(restorePending: false))
        #expect(machine.mustAwaitCommit(restorePending: true))
        machine.folded(inputRecords: 4, heldOutputs: [])
        #expect(machine.mustAwaitCommit(restorePending: false))

        var ended = committing()
        ended.commitEnded(.success(()))
        #expect(ended.mustAwaitCommit(restorePending: false))
    }

    @Test("a commit settles only once it ended; its checkpoints are then owed to the next transaction")
    func settlesAndOwes() {
        var machine = committing()
        guard case .none = machine.settleCommit(now: start) else {
            Issue.record("a commit still running does not settle")
            return
        }
        let committedAt = start + .milliseconds(300)
        machine.commitEnded(.success(()))
        guard case .committed = machine.settleCommit(now: committedAt) else {
            Issue.record("an ended commit settles")
            return
        }
        #expect(!machine.isCommitting && !machine.isOpen)
        #expect(!machine.owesCheckpoints)
        machine.owe([0: checkpoint("t0", input: 3)])
        machine.owe([1: checkpoint("t0", input: 7)])
        #expect(machine.owesCheckpoints)

        // Owed checkpoints wait for input for a commit interval after the commit, then go in their own transaction.
        #expect(!machine.areIdleCheckpointsDue(restatementsDue: false, now: committedAt + .milliseconds(999)))
        #expect(machine.areIdleCheckpointsDue(restatementsDue: false, now: committedAt + interval))

        guard case .begin(let owed) = machine.beginIfIdle(now: committedAt) else {
            Issue.record("the next write begins a transaction")
            return
        }
        #expect(owed == [0: checkpoint("t0", input: 3), 1: checkpoint("t0", input: 7)])
        #expect(!machine.owesCheckpoints)
    }

    @Test("idle without owed checkpoints: a transaction of its own only for restatements due")
    func idleCheckpointsNeedWork() {
        let machine = machine()
        #expect(!machine.areIdleCheckpointsDue(restatementsDue: false, now: start + .seconds(5)))
        #expect(machine.areIdleCheckpointsDue(restatementsDue: true, now: start + .seconds(5)))
        #expect(!machine.areIdleCheckpointsDue(restatementsDue: true, now: start + .milliseconds(10)))
    }

    @Test("a failed commit asks for an abort, which drops what was owed and takes a new token")
    func failedCommitAborts() {
        var machine = committing()
        machine.commitEnded(.failure(Self.abortable))
        guard case .failed(let error) = machine.settleCommit(now: start) else {
            Issue.record("a failed commit settles as failed")
            return
        }
        #expect(error.requiresAbort)
        guard case .failed = machine.state else {
            Issue.record("the machine stays failed until the abort")
            return
        }
        // A failed transaction is not open: nothing is written into it, and nothing begins before the abort.
        guard case .none = machine.beginIfIdle(now: start) else {
            Issue.record("nothing begins before a failed transaction is aborted")
            return
        }
        guard case .abortTransaction = machine.abort(nextToken: "t2") else {
            Issue.record("a failed transaction is aborted in the producer")
            return
        }
        #expect(machine.token == "t2")
        guard case .idle(let owed) = machine.state else {
            Issue.record("after the abort the machine is idle")
            return
        }
        #expect(owed.isEmpty)
    }

    @Test("an abort: open transactions are aborted; idle ones drop what they owed; a commit in flight is waited for")
    func aborts() {
        var open = machine()
        _ = open.beginIfIdle(now: start)
        guard case .abortTransaction = open.abort(nextToken: "t1") else {
            Issue.record("an open transaction is aborted in the producer")
            return
        }
        #expect(!open.isOpen)

        var owing = committing()
        owing.commitEnded(.success(()))
        _ = owing.settleCommit(now: start)
        owing.owe([0: checkpoint("t0", input: 1)])
        guard case .none = owing.abort(nextToken: "t2") else {
            Issue.record("no transaction is open in the producer when idle")
            return
        }
        #expect(!owing.owesCheckpoints)
        #expect(owing.token == "t2")

        var inFlight = committing()
        guard case .none = inFlight.abort(nextToken: "t9") else {
            Issue.record("a commit in flight cannot be aborted")
            return
        }
        #expect(inFlight.isCommitting)
        #expect(inFlight.token == "t1")
    }

    @Test("a commit's end outside a commit changes nothing; polls are short while a commit runs")
    func strayEventsAndPollTimeout() {
        var machine = machine()
        machine.commitEnded(.success(()))
        guard case .none = machine.settleCommit(now: start) else {
            Issue.record("no commit was in flight")
            return
        }
        #expect(machine.pollTimeout == .milliseconds(100))
        #expect(committing().pollTimeout == .milliseconds(5))
        let fast = Machine(token: "t", commitInterval: .milliseconds(20), commitMaxRecords: 1, now: start)
        #expect(fast.pollTimeout == .milliseconds(20))
    }
}
