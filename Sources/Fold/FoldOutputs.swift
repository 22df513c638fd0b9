import Kafka

/// Where a fold task's outputs go: the one route from a task's fold to the producer.
///
/// Every record a task writes (commands, dead letters, re-keyed inputs, lead states, restatements) goes through
/// ``write(_:)``, which sends it to the open transaction (``Route/send(_:)``) or holds it (``Route/hold``). The loop
/// holds outputs while the previous transaction commits: they belong to the next transaction, which sends them
/// first thing once it begins (``TransactionStateMachine``). Work done under the fold state's lock holds its
/// outputs too, and they are sent once the lock is released.
struct FoldOutputs: Sendable {
    /// Where the outputs go.
    enum Route: Sendable {
        /// To the open transaction, at once (the producer is thread-safe, so every fold thread sends its own).
        case send(TransactionalProducer)
        /// Into ``FoldOutputs/held``, in the order written.
        case hold
    }

    private let route: Route
    /// The outputs held, in the order written (always empty with ``Route/send(_:)``).
    private(set) var held: [OutgoingRecord] = []

    /// Outputs sent to `producer`'s open transaction.
    static func send(to producer: TransactionalProducer) -> FoldOutputs { FoldOutputs(route: .send(producer)) }

    /// Outputs held for the caller.
    static var hold: FoldOutputs { FoldOutputs(route: .hold) }

    private init(route: Route) {
        self.route = route
    }

    /// Sends or holds one output record.
    mutating func write(_ record: OutgoingRecord) throws(FoldError) {
        switch route {
        case .send(let producer):
            do {
                try producer.send(record)
            } catch {
                throw FoldError.kafka(error, "send to \(record.topic)")
            }
        case .hold:
            held.append(record)
        }
    }

    /// Hands every held output to `body`, in order, and forgets them (keeping the buffer for the next ones).
    mutating func drainHeld(_ body: (OutgoingRecord) throws(FoldError) -> Void) throws(FoldError) {
        defer { held.removeAll(keepingCapacity: true) }
        for record in held { try body(record) }
    }
}
