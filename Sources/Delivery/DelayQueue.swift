import Foundation

// MARK: - DelayQueue

/// Retried commands held until their not-before time: a binary min-heap on that time.
struct DelayQueue {
    private var heap: [PendingCommand] = []

    var count: Int { heap.count }

    mutating func insert(_ pending: PendingCommand) {
        heap.append(pending)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.due(heap[child]) < Self.due(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every command due at `now`.
    mutating func popDue(now: Date) -> [PendingCommand] {
        var due: [PendingCommand] = []
        while let first = heap.first, Self.due(first) <= now {
            due.append(first)
            let last = heap.removeLast()
            guard !heap.isEmpty else { break }
            heap[0] = last
            siftDown(from: 0)
        }
        return due
    }

    /// Drops the commands `predicate` selects (their partition was revoked).
    mutating func removeAll(where predicate: (PendingCommand) -> Bool) {
        let kept = heap.filter { !predicate($0) }
        guard kept.count != heap.count else { return }
        heap = []
        for pending in kept { insert(pending) }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.due(heap[left]) < Self.due(heap[smallest]) { smallest = left }
            if right < heap.count && Self.due(heap[right]) < Self.due(heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private static func due(_ pending: PendingCommand) -> Date { pending.notBefore ?? .distantPast }
}
