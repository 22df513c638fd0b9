import Kafka
import Testing

@Suite("Partition reader over the mock cluster")
struct PartitionReaderTests {
    /// A topic of `partitions` partitions, each holding `perPartition` records written in `transactions`
    /// transactions, as the fold writes its topics. (librdkafka 2.0.2's mock cluster writes no transaction markers:
    /// a partition's high watermark is its record count. On a real broker a marker follows each transaction, and
    /// the reader's position, not the last record, ends a range.)
    private func transactionalTopic(
        _ cluster: MockCluster,
        partitions: Int32,
        perPartition: Int,
        transactions: Int
    ) async throws -> String {
        let topic = TestCluster.uniqueName("reader")
        try cluster.createTopic(topic, partitions: Int(partitions))
        let producer = try TransactionalProducer(
            configuration: KafkaProducerConfiguration(client: TestCluster.client(cluster), lingerMilliseconds: 1),
            transactionalId: TestCluster.uniqueName("reader-txn"),
            logger: TestCluster.logger
        )
        try await producer.initTransactions()
        let perTransaction = perPartition / transactions
        for transaction in 0..<transactions {
            try producer.beginTransaction()
            for partition in 0..<partitions {
                for index in 0..<perTransaction {
                    let value = "p\(partition)-\(transaction * perTransaction + index)"
                    try await producer.send(
                        OutgoingRecord(topic: topic, partition: partition, key: nil, value: bytes(value))
                    )
                }
            }
            try await producer.commitTransaction()
        }
        return topic
    }

    private func reader(_ cluster: MockCluster, stallTimeout: Duration = .seconds(30)) throws -> PartitionReader {
        try PartitionReader(
            client: TestCluster.client(cluster),
            label: TestCluster.uniqueName("partition-reader"),
            settings: PartitionReader.Settings(stallTimeout: stallTimeout),
            logger: TestCluster.logger
        )
    }

    @Test("ranges of several partitions are read to their ends, each record once, in order")
    func readsRangesToTheirEnds() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 3, perPartition: 20, transactions: 4)
        let reader = try reader(cluster)
        let watermarks = try await reader.watermarks(ofTopic: topic, partitionCount: 3)
        #expect(watermarks.count == 3)
        for (partition, marks) in watermarks {
            #expect(marks.low == 0, "\(partition)")
            #expect(marks.high == 20, "\(partition)")
        }

        let records = try await reader.records(in: watermarks.map { PartitionRange(partition: $0.key, from: $0.value) })
        #expect(records.count == 60)
        for partition in Int32(0)..<3 {
            let values = records.filter { $0.partition == partition }.compactMap { text($0.value) }
            #expect(values == (0..<20).map { "p\(partition)-\($0)" })
            let offsets = records.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count)
        }
        // Partition by partition: every record of a partition before the next partition's.
        #expect(records.map(\.partition) == records.map(\.partition).sorted())

        // The first read paused each partition at its range's end; a second read of them starts afresh.
        let again = try await reader.records(in: watermarks.map { PartitionRange(partition: $0.key, from: $0.value) })
        #expect(again.map(\.offset) == records.map(\.offset))
    }

    @Test("a range starting inside the log and ending before its end yields exactly its records")
    func readsAPartOfALog() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 2, perPartition: 10, transactions: 1)
        let reader = try reader(cluster)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        let records = try await reader.records(in: [
            PartitionRange(partition: first, start: 3, end: 7),
            PartitionRange(partition: second, start: 8, end: 8),  // empty
        ])
        #expect(records.map(\.offset) == [3, 4, 5, 6])
        #expect(records.compactMap { text($0.value) } == ["p0-3", "p0-4", "p0-5", "p0-6"])
    }

    @Test("ranges to the end start at the log start when asked for earlier, and are empty at the end")
    func rangesToEnd() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 2, perPartition: 5, transactions: 1)
        let reader = try reader(cluster)
        let first = TopicPartition(topic: topic, partition: 0)
        let second = TopicPartition(topic: topic, partition: 1)
        let ranges = try await reader.rangesToEnd(from: [first: -5, second: 6])
        #expect(
            ranges == [
                PartitionRange(partition: first, start: 0, end: 5),
                PartitionRange(partition: second, start: 6, end: 6),
            ]
        )

        // Known watermarks are taken as they are: no request for them.
        let known = [first: Watermarks(low: 2, high: 4)]
        #expect(
            try await reader.rangesToEnd(from: [first: 0], known: known) == [
                PartitionRange(partition: first, start: 2, end: 4)
            ]
        )
    }

    @Test("one read at a time: a second read fails while the first is open, and works once it finished")
    func oneReadAtATime() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 1, perPartition: 4, transactions: 1)
        let reader = try reader(cluster)
        let partition = TopicPartition(topic: topic, partition: 0)
        let range = PartitionRange(partition: partition, start: 0, end: 4)
        let open = try reader.read([range])
        #expect(throws: KafkaError.self) { _ = try reader.read([range]) }
        open.finish()
        let again = try reader.read([range])
        var values: [String] = []
        while let records = try await again.next() { values += records.compactMap { text($0.value) } }
        #expect(values == ["p0-0", "p0-1", "p0-2", "p0-3"])
        // The finished read freed the reader.
        #expect(try await reader.records(in: [range]).count == 4)
    }

    @Test("a range that cannot be read to its end fails after the stall timeout, saying where it stopped")
    func stalls() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 1, perPartition: 3, transactions: 1)
        let reader = try reader(cluster, stallTimeout: .seconds(1))
        let partition = TopicPartition(topic: topic, partition: 0)
        // The log ends at 3: offsets up to 10 never come.
        let started = ContinuousClock.now
        do {
            _ = try await reader.records(in: [PartitionRange(partition: partition, start: 0, end: 10)])
            Issue.record("a read past the log's end must stall")
        } catch {
            guard case .stalled(let remaining, let after) = error else {
                Issue.record("expected a stall, got \(error)")
                return
            }
            #expect(after == .seconds(1))
            #expect(remaining == [PartitionRange(partition: partition, start: 3, end: 10)])
        }
        #expect(ContinuousClock.now - started >= .seconds(1))
        // The failed read freed the reader.
        #expect(try await reader.records(in: [PartitionRange(partition: partition, start: 0, end: 3)]).count == 3)
    }

    @Test("a topic reader reads a whole topic, and shows its watermarks first")
    func topicReader() async throws {
        let cluster = try TestCluster.shared()
        let topic = try await transactionalTopic(cluster, partitions: 2, perPartition: 6, transactions: 2)
        let reader = try TopicReader(client: TestCluster.client(cluster), logger: TestCluster.logger)
        let watermarks = try await reader.watermarks(of: topic)
        #expect(watermarks.values.map(\.high) == [6, 6])
        let values = try await reader.records(within: watermarks).compactMap { text($0.value) }
        #expect(values == (0..<6).map { "p0-\($0)" } + (0..<6).map { "p1-\($0)" })
        let once = try await TopicReader.readAll(topic, client: TestCluster.client(cluster), logger: TestCluster.logger)
        #expect(once.compactMap { text($0.value) } == values)
        #expect(try await reader.watermarks(of: TestCluster.uniqueName("missing")).isEmpty)
    }
}
