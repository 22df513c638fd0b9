import Kafka

/// The fold tasks this instance owns, by partition, and where each stands: restoring, restored (here), or out
/// being folded.
///
/// A task is moved, never copied: out of the dictionary while a fold thread works on it (``checkOut(_:)``), back
/// once it is done (``checkIn(_:)``). A copy left behind would make its store copy every lead on the next change.
struct FoldPartitions: Sendable {
    /// Restored tasks that are not out being folded.
    private(set) var tasks: [Int32: FoldTask] = [:]
    /// Assigned partitions waiting for their restore (their inputs are paused meanwhile).
    private(set) var restoring: Set<Int32> = []
    /// Partitions whose task is out being folded.
    private(set) var checkedOut: Set<Int32> = []
    /// Per partition: the changelog end its restore reached, a lower bound of the position a snapshot reflects.
    private(set) var changelogPositions: [Int32: Int64] = [:]

    /// Partitions being folded: restored, and not waiting for a restore again.
    var active: [Int32] {
        (Set(tasks.keys).union(checkedOut)).subtracting(restoring).sorted()
    }

    /// Leads in the restored tasks' stores.
    var leadCount: Int { tasks.values.reduce(0) { $0 + $1.store.count } }

    // MARK: - Rebalances and restores

    /// Partitions were assigned: they fold once restored.
    mutating func assigned(_ partitions: Set<Int32>) {
        restoring.formUnion(partitions)
    }

    /// Partitions were revoked or lost: their tasks (those not out being folded) are handed back and forgotten.
    mutating func remove(_ partitions: Set<Int32>) -> [FoldTask] {
        restoring.subtract(partitions)
        checkedOut.subtract(partitions)
        return partitions.sorted().compactMap { tasks.removeValue(forKey: $0) }
    }

    /// Every owned partition restores again (after an abort: the tasks' memory holds aborted work).
    /// - Returns: the partitions whose inputs must be paused until then.
    mutating func restoreAll() -> [Int32] {
        let partitions = Set(tasks.keys).union(checkedOut)
        restoring.formUnion(partitions)
        tasks.removeAll()
        checkedOut.removeAll()
        return partitions.sorted()
    }

    /// Restored tasks take their partitions over, where those still wait for them (a revoke meanwhile drops them).
    /// - Returns: the partitions taken over.
    mutating func restored(_ restoredTasks: [FoldTask], changelogPositions positions: [Int32: Int64]) -> [Int32] {
        var installed: [Int32] = []
        for task in restoredTasks where restoring.contains(task.partition) {
            restoring.remove(task.partition)
            changelogPositions[task.partition] = positions[task.partition] ?? 0
            tasks[task.partition] = task
            installed.append(task.partition)
        }
        return installed
    }

    // MARK: - Folding

    /// Moves the tasks of these partitions out to be folded (partitions restoring or not owned are skipped).
    mutating func checkOut(_ partitions: some Sequence<Int32>) -> [FoldTask] {
        var taken: [FoldTask] = []
        for partition in partitions where !restoring.contains(partition) {
            guard let task = tasks.removeValue(forKey: partition) else { continue }
            checkedOut.insert(partition)
            taken.append(task)
        }
        return taken
    }

    /// Puts folded tasks back. A task whose partition was revoked, lost or sent to restore meanwhile is dropped:
    /// its work is in no transaction that commits (the hand-over aborted), and the next owner re-folds it.
    mutating func checkIn(_ folded: [FoldTask]) {
        for task in folded where checkedOut.remove(task.partition) != nil {
            tasks[task.partition] = task
        }
    }

    /// Changes every restored task in place (in partition order).
    mutating func updateEach(_ body: (inout FoldTask) throws(FoldError) -> Void) throws(FoldError) {
        for partition in tasks.keys.sorted() {
            guard var task = tasks.removeValue(forKey: partition) else { continue }
            defer { tasks[partition] = task }  // out of the dictionary while it changes: see the type's comment
            try body(&task)
        }
    }

    /// Changes one restored task in place, if there is one.
    mutating func update<T>(_ partition: Int32, _ body: (inout FoldTask) -> T) -> T? {
        guard var task = tasks.removeValue(forKey: partition) else { return nil }
        defer { tasks[partition] = task }
        return body(&task)
    }
}
