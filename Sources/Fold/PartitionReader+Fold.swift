import Kafka

extension PartitionReader {
    /// Reads partitions from their offsets (or log starts, if later) to their ends now, each record to `body`: the
    /// reads of restores and state look-ups.
    ///
    /// A read that makes no progress for the reader's stall timeout is a ``FoldError/Kind/restoreTimeout``: an
    /// open transaction of a crashed instance holds a read_committed read until `transaction.timeout.ms`.
    /// - Returns: the ranges read, by partition.
    func readToEnd(
        from starts: [TopicPartition: Int64],
        known watermarks: [TopicPartition: Watermarks] = [:],
        _ body: (ConsumedRecord) throws(FoldError) -> Void
    ) async throws(FoldError) -> [TopicPartition: PartitionRange] {
        let ranges: [PartitionRange]
        let read: PartitionRead
        do {
            ranges = try await rangesToEnd(from: starts, known: watermarks)
            read = try self.read(ranges)
        } catch {
            throw FoldError.kafka(error, "start reading \(starts.count) partitions")
        }
        defer { read.finish() }
        while true {
            let records: [ConsumedRecord]?
            do {
                records = try await read.next()
            } catch {
                switch error {
                case .stalled(let remaining, let after):
                    let stuck = remaining.map { "\($0.partition) stopped at offset \($0.start) of \($0.end)" }
                    throw FoldError(
                        kind: .restoreTimeout,
                        message: "reading \(stuck.joined(separator: ", ")) for \(after) (an open transaction of a"
                            + " crashed instance holds it until transaction.timeout.ms)"
                    )
                case .kafka(let error):
                    throw FoldError.kafka(error, "read \(ranges.count) partitions")
                }
            }
            guard let records else { break }
            for record in records { try body(record) }
        }
        return Dictionary(uniqueKeysWithValues: ranges.map { ($0.partition, $0) })
    }
}
