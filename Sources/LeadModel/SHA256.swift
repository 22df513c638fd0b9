// MARK: - SHA256

/// A pure-Swift SHA-256 (FIPS 180-4), used for deterministic command ids.
///
/// Swift's `Hasher` is seeded per process, so nothing persisted may use it; this digest is the same on every
/// machine and in every run. Whole blocks are compressed straight from the caller's bytes; only a partial block
/// is buffered.
public struct SHA256: Sendable {
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    private var state: State = SHA256.initialState
    private var pending: [UInt8] = []
    private var totalBytes: UInt64 = 0

    /// A fresh hash.
    public init() {}

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash(buffer: $0) }
    }

    /// The digest of contiguous bytes without any intermediate buffering.
    static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        digest(hashState(buffer))
    }

    /// The final state words of hashing contiguous bytes (the digest is their big-endian bytes); no allocation.
    static func hashState(_ buffer: UnsafeRawBufferPointer) -> State {
        var state = initialState
        let wholeBlocks = buffer.count / 64
        if let base = buffer.baseAddress {
            for block in 0..<wholeBlocks { compress(&state, base + 64 * block) }
        }
        let tail = UnsafeRawBufferPointer(rebasing: buffer[(64 * wholeBlocks)...])
        finish(&state, tail: tail, totalBytes: UInt64(buffer.count))
        return state
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ update(buffer: UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { update(buffer: $0) }
        }
    }

    private mutating func update(buffer: UnsafeRawBufferPointer) {
        totalBytes &+= UInt64(buffer.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            offset = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { block in
                if let base = block.baseAddress { Self.compress(&state, base) }
            }
            pending.removeAll(keepingCapacity: true)
        }
        if let base = buffer.baseAddress {
            while buffer.count - offset >= 64 {
                Self.compress(&state, base + offset)
                offset += 64
            }
        }
        pending.append(contentsOf: buffer[offset...])
    }

    /// The 32-byte digest; the hash must not be updated afterwards.
    public mutating func finalize() -> [UInt8] {
        var state = self.state
        let totalBytes = self.totalBytes
        pending.withUnsafeBytes { Self.finish(&state, tail: $0, totalBytes: totalBytes) }
        self.state = state
        return Self.digest(state)
    }

    // MARK: - Internals

    /// Pads the last partial block (fewer than 64 bytes) and compresses the one or two final blocks.
    private static func finish(_ state: inout State, tail: UnsafeRawBufferPointer, totalBytes: UInt64) {
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { scratch in
            let blocks = tail.count < 56 ? 1 : 2
            let length = 64 * blocks
            for index in 0..<length { scratch[index] = 0 }
            for index in 0..<tail.count { scratch[index] = tail[index] }
            scratch[tail.count] = 0x80
            let bitLength = totalBytes &* 8
            for index in 0..<8 {
                scratch[length - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))
            }
            guard let base = UnsafeRawPointer(scratch.baseAddress) else { return }
            for block in 0..<blocks { compress(&state, base + 64 * block) }
        }
    }

    private static func digest(_ state: State) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
            for (index, word) in words.enumerated() {
                buffer[4 * index] = UInt8(truncatingIfNeeded: word >> 24)
                buffer[4 * index + 1] = UInt8(truncatingIfNeeded: word >> 16)
                buffer[4 * index + 2] = UInt8(truncatingIfNeeded: word >> 8)
                buffer[4 * index + 3] = UInt8(truncatingIfNeeded: word)
            }
            count = 32
        }
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value >> count) | (value << (32 - count))
    }

    /// One round. The caller rotates the roles of the eight working variables instead of moving them, which is
    /// what keeps them in registers.
    @inline(__always)
    private static func round(
        _ a: UInt32,
        _ b: UInt32,
        _ c: UInt32,
        _ d: inout UInt32,
        _ e: UInt32,
        _ f: UInt32,
        _ g: UInt32,
        _ h: inout UInt32,
        _ constantAndWord: UInt32
    ) {
        let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choice = (e & f) ^ (~e & g)
        let temp1 = h &+ sum1 &+ choice &+ constantAndWord
        let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        d = d &+ temp1
        h = temp1 &+ sum0 &+ majority
    }

    /// Compresses the 64-byte block at `block` into `state`.
    private static func compress(_ state: inout State, _ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            for index in 0..<16 {
                schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
            }
            for index in 16..<64 {
                let w15 = schedule[index - 15]
                let w2 = schedule[index - 2]
                let sigma0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 >> 3)
                let sigma1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 >> 10)
                schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
            }
            var (a, b, c, d, e, f, g, h) = state
            roundConstants.withUnsafeBufferPointer { k in
                var index = 0
                while index < 64 {
                    round(a, b, c, &d, e, f, g, &h, k[index] &+ schedule[index])
                    round(h, a, b, &c, d, e, f, &g, k[index + 1] &+ schedule[index + 1])
                    round(g, h, a, &b, c, d, e, &f, k[index + 2] &+ schedule[index + 2])
                    round(f, g, h, &a, b, c, d, &e, k[index + 3] &+ schedule[index + 3])
                    round(e, f, g, &h, a, b, c, &d, k[index + 4] &+ schedule[index + 4])
                    round(d, e, f, &g, h, a, b, &c, k[index + 5] &+ schedule[index + 5])
                    round(c, d, e, &f, g, h, a, &b, k[index + 6] &+ schedule[index + 6])
                    round(b, c, d, &e, f, g, h, &a, k[index + 7] &+ schedule[index + 7])
                    index += 8
                }
            }
            state = (
                state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
                state.7 &+ h
            )
        }
    }
}
