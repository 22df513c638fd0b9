/// When each lead's next custom activity is due, as a min-heap on the due time indexed by lead number: the
/// earliest is at hand without a scan, a lead's due time is set or cleared in O(log n), and the leads due at a
/// given time are found by visiting only them (and their children).
///
/// Memory: 12 bytes per pending lead (due time and lead number) and 4 bytes per lead (its heap position).
struct ActivityDueQueue: Sendable {
    private static let absent = UInt32.max

    /// Heap order: `dues[i] <= dues[2i + 1]`, `dues[i] <= dues[2i + 2]`.
    private var dues: [Int64] = []
    /// The lead of each heap entry.
    private var leads: [UInt32] = []
    /// Lead number -> its heap position, or `absent`.
    private var positions: [UInt32] = []

    /// Leads with a pending activity.
    var count: Int { dues.count }

    var isEmpty: Bool { dues.isEmpty }

    /// The due times of the pending activities, in no particular order.
    var values: [Int64] { dues }

    /// The earliest due time, if any activity is pending.
    var earliest: Int64? { dues.first }

    /// The due time of a lead's next activity.
    func due(of lead: Int) -> Int64? {
        guard lead < positions.count else { return nil }
        let position = positions[lead]
        return position == Self.absent ? nil : dues[Int(position)]
    }

    /// Sets (or, with `nil`, clears) when a lead's next activity is due.
    mutating func setDue(_ due: Int64?, of lead: Int) {
        if lead >= positions.count {
            guard due != nil else { return }
            positions.append(contentsOf: repeatElement(Self.absent, count: lead + 1 - positions.count))
        }
        let position = positions[lead]
        switch (due, position == Self.absent) {
        case (nil, true):
            return
        case (nil, false):
            remove(at: Int(position))
        case (let due?, true):
            dues.append(due)
            leads.append(UInt32(lead))
            positions[lead] = UInt32(dues.count - 1)
            siftUp(dues.count - 1)
        case (let due?, false):
            let index = Int(position)
            let old = dues[index]
            dues[index] = due
            if due < old { siftUp(index) } else if due > old { siftDown(index) }
        }
    }

    /// The leads due at or before `time`, in no particular order.
    func leads(dueAtOrBefore time: Int64) -> [Int] {
        var found: [Int] = []
        var pending: [Int] = dues.isEmpty ? [] : [0]
        while let index = pending.popLast() {
            guard dues[index] <= time else { continue }
            found.append(Int(leads[index]))
            let child = 2 * index + 1
            if child < dues.count { pending.append(child) }
            if child + 1 < dues.count { pending.append(child + 1) }
        }
        return found
    }

    // MARK: - Private

    private mutating func remove(at index: Int) {
        let removedLead = Int(leads[index])
        let last = dues.count - 1
        if index != last {
            let old = dues[index]
            move(from: last, to: index)
            dues.removeLast()
            leads.removeLast()
            if dues[index] < old { siftUp(index) } else { siftDown(index) }
        } else {
            dues.removeLast()
            leads.removeLast()
        }
        positions[removedLead] = Self.absent
    }

    private mutating func move(from source: Int, to target: Int) {
        dues[target] = dues[source]
        leads[target] = leads[source]
        positions[Int(leads[target])] = UInt32(target)
    }

    private mutating func siftUp(_ start: Int) {
        var index = start
        let due = dues[index]
        let lead = leads[index]
        while index > 0 {
            let parent = (index - 1) / 2
            guard dues[parent] > due else { break }
            move(from: parent, to: index)
            index = parent
        }
        dues[index] = due
        leads[index] = lead
        positions[Int(lead)] = UInt32(index)
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        let due = dues[index]
        let lead = leads[index]
        while true {
            var child = 2 * index + 1
            guard child < dues.count else { break }
            if child + 1 < dues.count, dues[child + 1] < dues[child] { child += 1 }
            guard dues[child] < due else { break }
            move(from: child, to: index)
            index = child
        }
        dues[index] = due
        leads[index] = lead
        positions[Int(lead)] = UInt32(index)
    }
}
