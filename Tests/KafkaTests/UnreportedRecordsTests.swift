import Dispatch
import Logging
import Synchronization
import Testing

@testable import Kafka

/// The count of records awaiting their delivery report, which a commit waits on before librdkafka's own flush.
@Suite("Records awaiting their delivery report")
struct UnreportedRecordsTests {
    private let logger = Logger(label: "test")

    @Test("nothing enqueued: the wait returns at once")
    func nothingEnqueued() {
        let context = RDKafkaCallbackContext(logger: logger, tracksDeliveries: true)
        #expect(context.waitUntilReported(timeout: .seconds(10)))
    }

    @Test("a record without its report keeps the waiter waiting until the timeout")
    func unreportedRecordTimesOut() {
        let context = RDKafkaCallbackContext(logger: logger, tracksDeliveries: true)
        context.recordEnqueued()
        context.wakeWaitersIfAllReported()  // a poll that served nothing wakes nobody
        #expect(!context.waitUntilReported(timeout: .milliseconds(20)))
    }

    @Test("the waiter wakes once the poll thread served the last report")
    func lastReportWakesTheWaiter() {
        let context = RDKafkaCallbackContext(logger: logger, tracksDeliveries: true)
        for _ in 0..<3 { context.recordEnqueued() }
        context.recordReported()
        let woken = Mutex(false)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let reported = context.waitUntilReported(timeout: .seconds(30))
            woken.withLock { $0 = reported }
            finished.signal()
        }
        context.recordReported()
        context.wakeWaitersIfAllReported()  // one report still missing
        context.recordReported()
        context.wakeWaitersIfAllReported()
        finished.wait()
        #expect(woken.withLock { $0 })
    }

    @Test("a refused record is no longer waited for; a client without delivery reports counts nothing")
    func refusedAndUntracked() {
        let context = RDKafkaCallbackContext(logger: logger, tracksDeliveries: true)
        context.recordEnqueued()
        context.recordNotEnqueued()
        #expect(context.waitUntilReported(timeout: .milliseconds(20)))

        let untracked = RDKafkaCallbackContext(logger: logger, tracksDeliveries: false)
        untracked.recordEnqueued()
        #expect(untracked.waitUntilReported(timeout: .milliseconds(20)))
    }
}
