// MARK: - KeySuggestion

/// "Did you mean" suggestions for misspelt keys and names, by edit distance.
enum KeySuggestion {
    /// The known name closest to `input`, if it is close enough to be a plausible typo.
    static func closest(to input: String, among candidates: some Collection<String>) -> String? {
        let lowered = Array(input.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, Array(candidate.lowercased()))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = max(2, min(lowered.count, best.name.count) / 3)
        if best.distance <= allowed { return best.name }
        // An abbreviation (`warn` for `warning`) is a plausible slip too.
        guard lowered.count >= 3 else { return nil }
        let input = String(lowered)
        return candidates.first { $0.lowercased().hasPrefix(input) }
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit (`destinatons`, `destiantions`).
    static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previousPrevious = [Int](repeating: 0, count: rhs.count + 1)
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            current[0] = i
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, lhs[i - 1] == rhs[j - 2], lhs[i - 2] == rhs[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[rhs.count]
    }

    /// `; did you mean "x"?` or nothing.
    static func didYouMean(_ input: String, among candidates: some Collection<String>) -> String {
        guard let suggestion = closest(to: input, among: candidates) else { return "" }
        return "; did you mean \(quoted(suggestion))?"
    }
}
