/// The partition the Java client's default partitioner (and librdkafka's `murmur2_random`) gives a keyed record.
///
/// LeadSync relies on it to know, without asking a broker, which partition (and so which fold task) owns a key:
/// `leadsync state get` reads only that partition of the changelog, and the fold checks that repartitioned
/// records land where their canonical key belongs.
public enum Murmur2Partitioner {
    /// `toPositive(murmur2(key)) % partitionCount`, as
    /// `org.apache.kafka.clients.producer.internals.BuiltInPartitioner`.
    public static func partition(for key: some Collection<UInt8>, partitionCount: Int) -> Int32 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        let hash = murmur2(Array(key)) & 0x7fff_ffff
        return Int32(Int(hash) % partitionCount)
    }

    /// MurmurHash2 (32-bit) with Kafka's seed, over the key bytes.
    public static func murmur2(_ data: [UInt8]) -> UInt32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = data.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for block in 0..<blocks {
            let i = block * 4
            var k =
                UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = blocks * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }
}
