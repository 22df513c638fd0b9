extension Array {
    /// The elements in consecutive slices of at most `size` (the last may be shorter).
    func chunked(into size: Int) -> [[Element]] {
        let size = Swift.max(1, size)
        return stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
