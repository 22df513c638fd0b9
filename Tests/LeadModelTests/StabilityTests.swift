import Basics
import LeadModel
import Testing

/// Values that are persisted (event digests in snapshots) or compared across processes must not depend on the
/// process: they are pinned here against independently computed values (Python).
@Suite("Stable digests and streaming hashes")
struct StabilityTests {
    @Test(
        "event digests are pinned",
        arguments: [
            ("", "f52a15e9a9b5e89b"),
            ("e1", "e0646ea9421d77e8"),
            ("7d1c3f0e-2b8a-4c55-9a57-0c2f4d1e9b10", "b411e9e558570394"),
        ]
    )
    func eventDigest(eventId: String, hex: String) {
        #expect(EventDigest(eventId: eventId).description == hex)
    }

    @Test("SHA-256 gives the same digest however the input is split")
    func streamingSplits() {
        var generator = SplitMix64(seed: 3)
        let input = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let expected = SHA256.hash(input)
        for chunkSize in [1, 7, 55, 56, 63, 64, 65, 127, 128, 999] {
            var hasher = SHA256()
            var offset = 0
            while offset < input.count {
                let end = min(offset + chunkSize, input.count)
                hasher.update(input[offset..<end])
                offset = end
            }
            #expect(hasher.finalize() == expected, "chunks of \(chunkSize)")
        }
        // A non-contiguous sequence takes the copying path.
        var lazy = SHA256()
        lazy.update(input.lazy.map { $0 })
        #expect(lazy.finalize() == expected)
    }
}
