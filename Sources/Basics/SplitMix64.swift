// MARK: - SplitMix64

/// A small, fast, seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64): the one generator of the
/// code base wherever a draw must repeat (the simulation's streams, the sandboxes' fault draws, benchmarks, tests).
///
/// The simulation never uses the system generator: the same seed must give the same bytes on every machine and
/// every run. Independent streams (one per lead, one for interleaving) are derived from the plan's seed with
/// ``init(seed:stream:)``, so a lead's records do not depend on how many leads were generated before it. The
/// sequence of a seed is pinned by Tests/SimulationTests: changing it changes every simulated stream.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    // Inlinable, as it was inside the simulation: the generator runs several times per simulated record.
    @usableFromInline var state: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one independent stream of a seed (streams of the same seed do not overlap in practice).
    @inlinable
    public init(seed: UInt64, stream: UInt64) {
        state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// SplitMix64's output function: a bijective 64-bit mixer.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double in `0..<1` (53 random bits).
    @inlinable
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `probability` (never for 0, always for 1).
    @inlinable
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform integer in `0..<bound` (`bound` > 0), by multiply-high instead of a division.
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in `range`.
    @inlinable
    public mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform 64-bit integer in `range`.
    @inlinable
    public mutating func within(_ range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        guard width != 0 else { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: next().multipliedFullWidth(by: width).high)
    }

    /// A uniformly chosen element of a non-empty collection.
    @inlinable
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[below(elements.count)]
    }
}
