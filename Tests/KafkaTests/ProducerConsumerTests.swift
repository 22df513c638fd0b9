import Kafka
import Testing

@Suite("Producer and consumer over the mock cluster")
struct ProducerConsumerTests {
    @Test("records keep their key, value, headers and timestamp")
    func roundTrip() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("round-trip")
        try cluster.createTopic(topic, partitions: 4)
        let producer = try TestCluster.producer(cluster)
        let records = (0..<20).map { index in
            OutgoingRecord(
                topic: topic,
                key: bytes("lead-\(index)"),
                value: bytes("value-\(index)"),
                headers: [
                    KafkaHeader(key: "h", string: "\(index)"), KafkaHeader(key: "null", value: nil),
                    KafkaHeader(key: "empty", value: []), KafkaHeader(key: "h2", string: "second \(index)"),
                ],
                timestamp: 1_700_000_000_000 + Int64(index)
            )
        }
        let reports = try await producer.send(records)
        #expect(reports.count == 20)
        #expect(reports.allSatisfy { $0.isDelivered })

        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let received = try await consumer.records(count: 20)
        #expect(received.count == 20)
        for record in received {
            let key = try #require(text(record.key))
            let index = try #require(Int(key.dropFirst("lead-".count)))
            #expect(text(record.value) == "value-\(index)")
            #expect(record.headers.string(for: "h") == "\(index)")
            #expect(record.headers.contains(KafkaHeader(key: "null", value: nil)))
            #expect(record.headers.map(\.key) == ["h", "null", "empty", "h2"], "every header, in order")
            #expect(record.headers.string(for: "h2") == "second \(index)")
            #expect(record.headers.contains(KafkaHeader(key: "empty", value: [])), "an empty value is not null")
            #expect(record.timestamp == 1_700_000_000_000 + Int64(index))
        }
        // Each record is where its delivery report said it was written.
        let byKey = Dictionary(uniqueKeysWithValues: received.map { (text($0.key) ?? "", $0.partition) })
        for (index, report) in reports.enumerated() {
            #expect(byKey["lead-\(index)"] == report.partition)
        }
        try await consumer.close()
    }

    @Test("a tombstone and an empty value are different records")
    func tombstoneAndEmpty() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("tombstone")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try TestCluster.producer(cluster)
        _ = try await producer.send([
            OutgoingRecord(topic: topic, key: bytes("a"), value: nil),
            OutgoingRecord(topic: topic, key: bytes("b"), value: []),
        ])
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        let received = try await consumer.records(count: 2)
        #expect(received.map { text($0.key) } == ["a", "b"])
        #expect(received.allSatisfy { $0.value.isEmpty })
        try await consumer.close()
    }

    @Test("batches group records by partition in offset order")
    func perPartitionBatches() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("batches")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try TestCluster.producer(cluster)
        let records = (0..<300).map {
            OutgoingRecord(topic: topic, partition: Int32($0 % 3), key: nil, value: bytes("\($0)"))
        }
        _ = try await producer.send(records)
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        try consumer.subscribe([topic])
        var seen: [Int32: [Int64]] = [:]
        let clock = ContinuousClock()
        let end = clock.now + .seconds(30)
        while seen.values.reduce(0, { $0 + $1.count }) < 300, clock.now < end {
            let batch = try await consumer.poll(maxRecords: 500, timeout: .milliseconds(100))
            #expect(Set(batch.partitions.map(\.topicPartition)).count == batch.partitions.count)
            for partition in batch.partitions {
                #expect(partition.records.allSatisfy { $0.partition == partition.topicPartition.partition })
                #expect(partition.nextOffset == (partition.records.last?.offset).map { $0 + 1 })
                seen[partition.topicPartition.partition, default: []] += partition.records.map(\.offset)
            }
        }
        #expect(seen.count == 3)
        for offsets in seen.values {
            #expect(offsets == Array(0..<100))
        }
        try await consumer.close()
    }

    @Test("commit, committed, positions, seek and watermarks agree")
    func offsets() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("offsets")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try TestCluster.producer(cluster)
        _ = try await producer.send((0..<10).map { OutgoingRecord(topic: topic, key: nil, value: bytes("\($0)")) })
        let group = TestCluster.uniqueName("g")
        let partition = TopicPartition(topic: topic, partition: 0)
        let consumer = try TestCluster.consumer(cluster, group: group)
        try consumer.subscribe([topic])
        let first = try await consumer.records(count: 10)
        #expect(first.count == 10)
        let watermarks = try await consumer.watermarks(partition)
        #expect(watermarks.low == 0)
        #expect(watermarks.high == 10)
        #expect(try consumer.positions([partition])[partition] == 10)

        try await consumer.commit([TopicPartitionOffset(topicPartition: partition, offset: 4)])
        #expect(try await consumer.committed([partition])[partition] == 4)

        try await consumer.seek([TopicPartitionOffset(topicPartition: partition, offset: 7)])
        let replayed = try await consumer.records(count: 3)
        #expect(replayed.map(\.offset) == [7, 8, 9])
        try await consumer.close()

        // A new member of the group resumes from the committed offset.
        let second = try TestCluster.consumer(cluster, group: group)
        try second.subscribe([topic])
        let resumed = try await second.records(count: 6)
        #expect(resumed.map(\.offset) == Array(4..<10))
        try await second.close()
    }

    @Test("watermarks of many partitions in one query agree with the per-partition query, empty partitions included")
    func batchedWatermarks() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("watermarks")
        let other = TestCluster.uniqueName("watermarks-other")
        try cluster.createTopic(topic, partitions: 3)
        try cluster.createTopic(other, partitions: 2)
        let producer = try TestCluster.producer(cluster)
        _ = try await producer.send(
            (0..<7).map { OutgoingRecord(topic: topic, partition: 0, key: nil, value: bytes("\($0)")) }
        )
        _ = try await producer.send(
            (0..<3).map { OutgoingRecord(topic: topic, partition: 2, key: nil, value: bytes("\($0)")) }
        )
        _ = try await producer.send([OutgoingRecord(topic: other, partition: 1, key: nil, value: bytes("x"))])
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g"))
        let partitions =
            (0..<3).map { TopicPartition(topic: topic, partition: $0) }
            + (0..<2).map { TopicPartition(topic: other, partition: $0) }
        let batched = try await consumer.watermarks(partitions)
        #expect(batched.count == 5)
        for partition in partitions {
            let single = try await consumer.watermarks(partition)
            #expect(batched[partition]?.low == single.low, "low watermark of \(partition)")
            #expect(batched[partition]?.high == single.high, "high watermark of \(partition)")
        }
        #expect(batched[TopicPartition(topic: topic, partition: 0)]?.high == 7)
        #expect(batched[TopicPartition(topic: topic, partition: 1)]?.high == 0)
        #expect(batched[TopicPartition(topic: topic, partition: 2)]?.high == 3)
        #expect(batched[TopicPartition(topic: other, partition: 1)]?.high == 1)
        try await consumer.close()
    }

    @Test("paused partitions hand out nothing until resumed")
    func pauseResume() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("pause")
        try cluster.createTopic(topic, partitions: 1)
        let partition = TopicPartition(topic: topic, partition: 0)
        let log = RebalanceLog()
        let consumer = try TestCluster.consumer(cluster, group: TestCluster.uniqueName("g")) { event in
            log.record(event)
        }
        try consumer.subscribe([topic])
        // Wait for the assignment before pausing.
        let clock = ContinuousClock()
        let end = clock.now + .seconds(20)
        while !log.assigned.contains(partition), clock.now < end {
            _ = try await consumer.poll(timeout: .milliseconds(100))
        }
        try #require(log.assigned.contains(partition))
        try consumer.pause([partition])
        let producer = try TestCluster.producer(cluster)
        _ = try await producer.send((0..<5).map { OutgoingRecord(topic: topic, key: nil, value: bytes("\($0)")) })
        let whilePaused = try await consumer.drain(for: .seconds(1))
        #expect(whilePaused.isEmpty)
        try consumer.resume([partition])
        let afterResume = try await consumer.records(count: 5)
        #expect(afterResume.map(\.offset) == Array(0..<5))
        try await consumer.close()
    }
}
