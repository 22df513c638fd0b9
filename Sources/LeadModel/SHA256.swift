internal import Crypto

// MARK: - SHA256

/// SHA-256 (FIPS 180-4), used for deterministic command ids: swift-crypto's (BoringSSL) behind the API the fold
/// and its tests have always used.
///
/// Swift's `Hasher` is seeded per process, so nothing persisted may use it; this digest is the same on every
/// machine and in every run.
public struct SHA256: Sendable {
    /// The digest as its eight big-endian words (the form ``CommandID`` picks its halves from).
    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private var hasher = Crypto.SHA256()

    /// A fresh hash.
    public init() {}

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash(buffer: $0) }
    }

    /// The digest of contiguous bytes.
    static func hash(buffer: UnsafeRawBufferPointer) -> [UInt8] {
        Array(digest(buffer))
    }

    /// The digest of contiguous bytes as its eight big-endian words, read straight out of swift-crypto's digest.
    static func hashState(_ buffer: UnsafeRawBufferPointer) -> State {
        digest(buffer).withUnsafeBytes { digest in
            func word(_ index: Int) -> UInt32 {
                UInt32(bigEndian: digest.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
            }
            return (word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7))
        }
    }

    /// swift-crypto's digest of contiguous bytes, without copying them.
    private static func digest(_ buffer: UnsafeRawBufferPointer) -> Crypto.SHA256.Digest {
        var hasher = Crypto.SHA256()
        hasher.update(bufferPointer: buffer)
        return hasher.finalize()
    }

    /// Feeds bytes.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
    }

    /// The 32-byte digest of everything fed so far.
    public mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }
}
