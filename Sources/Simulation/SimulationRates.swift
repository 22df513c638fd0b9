// MARK: - SimulationRates

/// How often a simulated stream departs from the ideal one. Every rate is a probability in `0...1`.
public struct SimulationRates: Sendable, Hashable {
    /// The chance that a valid record is held back behind the next record of its lead on the same topic, so it
    /// is produced after a record with a later `occurredAt` (not when the record before it was just held back).
    public var outOfOrder: Double
    /// The share of produced records that repeat an earlier valid record of the same lead (same key, same value).
    public var duplicate: Double
    /// The share of produced records that are poison; the kind is chosen uniformly among ``poisonKinds``.
    public var poison: Double
    /// The chance that a valid record is produced without a key or with a non-canonical one.
    public var nonCanonicalKey: Double
    /// The chance that a valid record's body spells the email with other letter case or surrounding whitespace.
    public var emailVariation: Double
    /// The poison kinds to produce (all of them by default).
    public var poisonKinds: [PoisonKind]

    /// Creates rates; all zero gives a clean, ordered stream with canonical keys.
    public init(
        outOfOrder: Double = 0,
        duplicate: Double = 0,
        poison: Double = 0,
        nonCanonicalKey: Double = 0,
        emailVariation: Double = 0,
        poisonKinds: [PoisonKind] = PoisonKind.allCases
    ) {
        self.outOfOrder = outOfOrder
        self.duplicate = duplicate
        self.poison = poison
        self.nonCanonicalKey = nonCanonicalKey
        self.emailVariation = emailVariation
        self.poisonKinds = poisonKinds
    }

    /// No departures at all.
    public static let none = SimulationRates()

    /// A realistic mix: 5 % out of order, 2 % duplicates, 1 % poison, 5 % non-canonical keys, 10 % email variation.
    public static let realistic = SimulationRates(
        outOfOrder: 0.05,
        duplicate: 0.02,
        poison: 0.01,
        nonCanonicalKey: 0.05,
        emailVariation: 0.1
    )

    /// The rates by name, in the order they are documented (for validation and reports).
    var named: [(name: String, value: Double)] {
        [
            ("outOfOrder", outOfOrder), ("duplicate", duplicate), ("poison", poison),
            ("nonCanonicalKey", nonCanonicalKey), ("emailVariation", emailVariation),
        ]
    }
}
