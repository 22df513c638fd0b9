import Kafka
import Testing

@Suite("Murmur2 partitioner, assign, and transactional delivery tracking")
struct PartitionerAndTransactionTrackingTests {
    @Test("Murmur2Partitioner puts every key where librdkafka's murmur2_random producer puts it")
    func murmur2MatchesLibrdkafka() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("murmur2")
        try cluster.createTopic(topic, partitions: 12)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                client: TestCluster.client(cluster),
                lingerMilliseconds: 1,
                partitioner: .murmur2Random
            ),
            logger: TestCluster.logger
        )
        // Keys of every length class (tail of 0 to 3 bytes), ASCII and UTF-8.
        let keys =
            (0..<200).map { "tenant-\($0 % 7)/person.\($0)@example\($0 % 3).com" } + ["", "a", "ab", "abc", "é→∑"]
        let reports = try await producer.send(
            keys.map { OutgoingRecord(topic: topic, key: Array($0.utf8), value: [1]) }
        )
        for (key, report) in zip(keys, reports) where !key.isEmpty {
            #expect(
                report.partition == Murmur2Partitioner.partition(for: Array(key.utf8), partitionCount: 12),
                "\(key)"
            )
        }
    }

    @Test("Kafka's own murmur2 test vectors")
    func murmur2Vectors() {
        // org.apache.kafka.common.utils.UtilsTest#testMurmur2
        let cases: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (text, expected) in cases {
            #expect(Int32(bitPattern: Murmur2Partitioner.murmur2(Array(text.utf8))) == expected, "\(text)")
        }
    }

    @Test("assign reads a partition from an offset without joining a group")
    func assignReadsFromOffset() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("assign")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try TestCluster.producer(cluster)
        let reports = try await producer.send(
            (0..<10).map { OutgoingRecord(topic: topic, partition: 1, key: nil, value: [UInt8($0)]) }
        )
        #expect(reports.allSatisfy { $0.isDelivered && $0.partition == 1 })
        let reader = try TestCluster.consumer(cluster, group: "reader-label")
        try reader.assign([TopicPartitionOffset(topic: topic, partition: 1, offset: 6)])
        var values: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while values.count < 4 && ContinuousClock.now < deadline {
            let batch = try await reader.poll(maxRecords: 100, timeout: .milliseconds(200))
            values += batch.partitions.flatMap(\.records).flatMap(\.value)
        }
        #expect(values == [6, 7, 8, 9])
        try reader.assign([])
    }

    @Test("a transactional producer reports, per partition, the offset after its delivered records")
    func deliveredEndOffsets() async throws {
        let cluster = try TestCluster.shared()
        let topic = TestCluster.uniqueName("delivered")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try TransactionalProducer(
            configuration: KafkaProducerConfiguration(client: TestCluster.client(cluster), lingerMilliseconds: 1),
            transactionalId: TestCluster.uniqueName("txn"),
            logger: TestCluster.logger
        )
        try await producer.initTransactions()
        try producer.beginTransaction()
        for index in 0..<7 {
            try await producer.send(OutgoingRecord(topic: topic, partition: 2, key: nil, value: [UInt8(index)]))
        }
        try producer.commitTransactionNow()
        let partition = TopicPartition(topic: topic, partition: 2)
        let deadline = ContinuousClock.now + .seconds(10)
        while producer.deliveredEndOffsets()[partition] != 7 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(producer.deliveredEndOffsets()[partition] == 7)
        #expect(producer.deliveredEndOffsets()[TopicPartition(topic: topic, partition: 0)] == nil)
    }
}
